// Tinify: `bmshj2018-hyperprior-vbr`. Kamisli, Racapé, Choi, "Variable-Rate Learned Image Compression with
// Multi-Objective Optimization and Quantization-Reconstruction Offsets" (DCC 2024).
// Mirrors compressai.models.vbr.ScaleHyperpriorVbr (CompressAI 1.2.8); its tensors are declared once, in
// TinifyArchitectures (ModelDeclaration.variableRate). It runs as the seven
// others do (TinifyRuntime).
import TinifyArchitectures

/// `bmshj2018-hyperprior-vbr`: bmshj2018-hyperprior with one model for every rate (`Gain`, `QuantABCD`, optionally `EntropyBottleneckVbr`).
public final class ScaleHyperpriorVbr: ZooModel, @unchecked Sendable {
    override class var declaredArchitecture: Architecture? { .bmshj2018HyperpriorVbr }
}
