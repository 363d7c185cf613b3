// A tour of Tinify's library API, the calls of CompressAI's Python API in Swift:
// read a checkpoint's state dict, build the model of its class with N and M inferred, load and
// verify state dicts, build the CDF tables, run the forward pass, compress and decompress an
// image, and write the weights in another format or for one side of the codec.
//
//   swift run tinify-example Tests/Fixtures/random-samples/mbt2018-mean-N16-M24-training.pth.tar Samples/image-96x64.png
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Tinify

let checkpoint = CommandLine.arguments.dropFirst().first ?? "Tests/Fixtures/random-samples/mbt2018-mean-N16-M24-training.pth.tar"
let imagePath = CommandLine.arguments.dropFirst(2).first ?? "Samples/image-96x64.png"

do {
    // torch.load(path)["state_dict"]: any torch.save file (zip or legacy), .h5 or .safetensors;
    // a training checkpoint's weights are unwrapped and old key names renamed.
    let state = try StateDict(contentsOfFile: checkpoint)
    print("\(state.count) tensors\(state.wrapperKey.map { " (from '\($0)')" } ?? ""); first key \(state.keys.first ?? "-")")

    // MeanScaleHyperprior.from_state_dict(state): N and M from the shapes, every key verified.
    let net = try MeanScaleHyperprior.fromStateDict(state)
    print("\(net.architecture.rawValue): N=\(net.N) M=\(net.M)")

    // net.load_state_dict(partial, strict=False) reports what it could not load.
    var partial = state
    partial.removeValue(forKey: "g_a.0.bias")
    print(try net.loadStateDict(partial, strict: false))

    // net.update(force=True) builds the CDF tables in place; net.aux_loss().
    print("updated: \(try net.update(force: true)), aux loss \(net.auxLoss())")

    // out = net(x): x̂ and the likelihoods by name.
    let x = try ImageTensor(contentsOfFile: imagePath)
    let padded = x.padded(toMultipleOf: 64)
    let out = try net(padded)
    print("likelihoods \(out.likelihoods.keys.sorted()), x̂ \(out.xHat.shape)")

    // net.compress(x) / net.decompress(strings, shape): CompressAI's bytes.
    let compressed = try net.compress(padded)
    let bytes = compressed.strings.joined().reduce(0) { $0 + $1.count }
    let xHat = try net.decompress(compressed).cropped(toHeight: x.height, width: x.width)
    print("\(bytes) bytes, \(Double(bytes * 8) / Double(x.height * x.width)) bpp, PSNR \(xHat.psnr(to: x)) dB")

    // torch.save(net.state_dict()): any format by extension; or only the decoder's tensors.
    try net.stateDict().write(toFile: "/tmp/tinify-example.safetensors")
    try net.stateDict(for: .decoder).write(toFile: "/tmp/tinify-example-decoder.h5")
    print("wrote /tmp/tinify-example.safetensors and /tmp/tinify-example-decoder.h5")

    // Architecture detection, for a file whose class is not known in advance.
    let model = try loadModel(contentsOfFile: checkpoint)
    print("detected \(model.architecture.rawValue) (\(type(of: model)))")
} catch {
    print("error: \(checkpoint): \(error)")
    exit(1)
}
