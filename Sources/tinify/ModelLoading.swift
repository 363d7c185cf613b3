// tinify: builds the runtime model of a checkpoint (for eval, compress and decompress).
import ArgumentParser
import Tinify

/// The model a checkpoint holds: its weights (a training checkpoint's state_dict, old key names
/// migrated) bound to `arch`, or to the architecture detected from the keys and shapes. With
/// `coding`, its stored CDF tables must be able to code. Failures print `error: <checkpoint>: …`.
func loadModel(checkpoint: String, arch: Architecture?, coding: Bool = false, memory: MemoryBudget) throws -> ZooModel {
    var model: ZooModel?
    try reportingErrors(checkpoint) {
        let state = try StateDict(contentsOfFile: checkpoint, options: readOptions(memory))
        let m = try arch.map { try $0.model(state) } ?? Tinify.loadModel(state)
        if coding { try m.checkCodingTables() }
        model = m
    }
    guard let model else { throw ExitCode(1) }
    return model
}

/// `v` with `digits` decimals (no Foundation formatting in the static binary).
func decimal(_ v: Double, _ digits: Int) -> String {
    guard v.isFinite else { return v.isNaN ? "nan" : (v > 0 ? "inf" : "-inf") }
    var scale = 1.0
    for _ in 0..<digits { scale *= 10 }
    let r = (abs(v) * scale).rounded()
    let whole = Int(r / scale), frac = Int(r - Double(whole) * scale)
    var f = String(frac)
    while f.count < digits { f = "0" + f }
    return (v < 0 && r > 0 ? "-" : "") + String(whole) + (digits > 0 ? "." + f : "")
}

extension Architecture: ExpressibleByArgument {}
extension ModelPart: ExpressibleByArgument {}
