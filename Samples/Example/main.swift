// A short tour of Tinify's library API: read a checkpoint, build a typed model from it,
// verify it — the same steps `tinify inspect` and `tinify verify` take — then run the model:
// compress an image to rANS strings and decode them, as `tinify compress` / `decompress` do.
//
//   swift run tinify-example Samples/bmshj2018-hyperprior-N16-M24.pth Samples/image-96x64.png
import TinifyKit
import TinifyWeights
import TinifyArchitectures
import TinifyRuntime

let path = CommandLine.arguments.dropFirst().first ?? "Samples/bmshj2018-hyperprior-N16-M24.pth"
let image = CommandLine.arguments.dropFirst(2).first ?? "Samples/image-96x64.png"
do {
    // 1. Any torch.save file (zip or legacy), .h5 or .safetensors, into a typed weight store.
    let store = try WeightFile.open(path)
    print("\(store.count) tensors, \(store.totalBytes) bytes, container \(store.container.rawValue)")

    // 2. The architecture, N and M, detected from keys and shapes (old key names migrated).
    let report = try ArchitectureDetector.detect(StateDict(store))
    print("architecture \(report.architecture.rawValue), \(report.hyperparameters), updated: \(report.updated)")

    // 3. A typed model bound to the store's tensors without copying.
    if report.architecture == .bmshj2018Hyperprior {
        let model = try ScaleHyperprior(stateDict: store)
        if case .conv(let conv) = model.gA[0], let w = conv.weight.tensor {
            print("g_a.0.weight: \(w.dtype.name) \(w.shape), sha256 \(w.sha256().prefix(16))…")
        }
        print("zoo quality 8 would be \(Zoo.hyperparameters(.bmshj2018Hyperprior, quality: 8).map(\.description) ?? "-")")
    }

    // 4. The runtime model: compress an image (padded to a multiple of 64) and decode it.
    let runtime = try RuntimeModels.make(architecture: report.architecture.rawValue, store: WeightStore(
        entries: StateDict(store).entries, container: store.container, path: store.path))
    let compressed = try ImageCodec.compress(runtime, image: image)
    let decoded = try ImageCodec.decompress(runtime, file: try CompressedImageFile(decoding: compressed.bytes))
    print("\(image): \(compressed.bytes.count) bytes (\(compressed.bitsPerPixel) bpp), decoded \(decoded.shape)")
} catch {
    print("error: \(path): \(error)")
}
