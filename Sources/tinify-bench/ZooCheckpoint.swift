// tinify-bench: the zoo-size checkpoints the benchmarks run on, made once with Python.
import Foundation

/// Zoo-size checkpoints (`compressai.zoo`, pretrained=False, seed 0, `update(force=True)`).
enum ZooCheckpoint {
    /// Where they are kept between runs.
    static let directory = "/tmp/tinify-bench"

    static let script = """
    import os, sys, torch
    from compressai.zoo import image_models
    torch.manual_seed(0)
    m = image_models[sys.argv[2]](quality=int(sys.argv[3]), pretrained=False).eval()
    m.update(force=True)
    os.makedirs(os.path.dirname(sys.argv[1]), exist_ok=True)
    torch.save(m.state_dict(), sys.argv[1] + '.tmp')
    os.replace(sys.argv[1] + '.tmp', sys.argv[1])
    """

    /// `<directory>/<arch>-q<quality>.pth`, made with torch and compressai when missing.
    static func path(_ architecture: String, quality: Int) throws -> String {
        let path = "\(directory)/\(architecture)-q\(quality).pth"
        if !FileManager.default.fileExists(atPath: path) {
            guard Python.has(["torch", "compressai"]) else {
                throw BenchError("torch and compressai are not importable by python3, so no checkpoint can be made; pass --checkpoint PATH (a zoo-size torch.save file)")
            }
            FileHandle.standardError.write(Data("making \(path) (\(architecture) quality \(quality), pretrained=False)…\n".utf8))
            _ = try Python.run(script, [path, architecture, String(quality)])
        }
        return path
    }
}
