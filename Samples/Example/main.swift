// A short tour of Tinify's library API: read a checkpoint, build a typed model from it,
// and verify it — the same steps `tinify inspect` and `tinify verify` take.
//
//   swift run tinify-example Samples/bmshj2018-hyperprior-N16-M24.pth
import TinifyKit
import TinifyWeights
import TinifyArchitectures

let path = CommandLine.arguments.dropFirst().first ?? "Samples/bmshj2018-hyperprior-N16-M24.pth"
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
} catch {
    print("error: \(path): \(error)")
}
