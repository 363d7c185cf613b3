// consumer: the program issue 11 fixes as the library's contract, unchanged, in a package that
// depends on Tinify by git URL and version.
import Tinify

let checkpoint = CommandLine.arguments[1]   // e.g. an mbt2018-mean training checkpoint (.pth.tar)
let imagePath = CommandLine.arguments[2]

let state = try StateDict(contentsOfFile: checkpoint)
let net = try MeanScaleHyperprior.fromStateDict(state)
print("N=\(net.N) M=\(net.M) tensors=\(state.count)")

var partial = state
partial.removeValue(forKey: "g_a.0.bias")
let report = try net.loadStateDict(partial, strict: false)
print("missing: \(report.missingKeys)")
do {
    _ = try net.loadStateDict(partial, strict: true)
    fatalError("strict load accepted a missing key")
} catch {
    print("strict: \(error)")
}
_ = try net.loadStateDict(state, strict: true)

let changed = try net.update(force: true)
print("updated: \(changed) aux: \(net.auxLoss())")

let x = try ImageTensor(contentsOfFile: imagePath)
let padded = x.padded(toMultipleOf: 64)
let out = try net(padded)
print("likelihoods: \(out.likelihoods.keys.sorted())")
let compressed = try net.compress(padded)
let xHat = try net.decompress(compressed).cropped(toHeight: x.height, width: x.width)
print("strings: \(compressed.strings.count) psnr: \(xHat.psnr(to: x))")

let model = try Tinify.loadModel(contentsOfFile: checkpoint)
print(model.architecture.rawValue)
try model.stateDict().write(toFile: "/tmp/tinify-api.h5")
