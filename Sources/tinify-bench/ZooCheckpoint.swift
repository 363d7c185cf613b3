// tinify-bench: the zoo-size checkpoints the benchmarks run on, made once with Python.
import Foundation

/// Zoo-size checkpoints (`compressai.zoo`, pretrained=False, seed 0, `update(force=True)`); the
/// models the zoo has no weights for (the checkerboard model, ELIC) at their constructors'
/// default sizes (N = 192; ELIC M = 320 and groups 16, 16, 32, 64, 192).
enum ZooCheckpoint {
    /// Where they are kept between runs.
    static let directory = "/tmp/tinify-bench"

    static let script = """
    import os, sys, torch
    from compressai.zoo import image_models
    from compressai.registry import MODELS
    torch.manual_seed(0)
    a = sys.argv[2]
    m = (image_models[a](quality=int(sys.argv[3]), pretrained=False) if a in image_models else MODELS[a]()).eval()
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

    static let imageScript = """
    import sys, numpy as np
    from PIL import Image
    h, w = int(sys.argv[2]), int(sys.argv[3])
    r = np.random.default_rng(0); y, x = np.mgrid[0:h, 0:w]
    a = np.stack([x / w, y / h, (x + y) / (h + w)], -1) * 200 + r.integers(0, 55, (h, w, 3))
    Image.fromarray(a.clip(0, 255).astype('uint8')).save(sys.argv[1])
    """

    /// `<directory>/image-<width>x<height>.png`, a gradient with noise, made with numpy and pillow
    /// when missing (at 768×512 the perf contract's image).
    static func image(height: Int, width: Int) throws -> String {
        let path = "\(directory)/image-\(width)x\(height).png"
        if !FileManager.default.fileExists(atPath: path) {
            try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
            _ = try Python.run(imageScript, [path, String(height), String(width)])
        }
        return path
    }
}
