// Tinify: `mbt2018-mean-vbr`. Kamisli, Racapé, Choi, "Variable-Rate Learned Image Compression with
// Multi-Objective Optimization and Quantization-Reconstruction Offsets" (DCC 2024).
// Mirrors compressai.models.vbr.MeanScaleHyperpriorVbr (CompressAI 1.2.8); its tensors are declared once, in
// TinifyArchitectures (ModelDeclaration.variableRate). It runs as the seven
// others do (TinifyRuntime).
import TinifyArchitectures

/// `mbt2018-mean-vbr`: mbt2018-mean with one model for every rate.
public final class MeanScaleHyperpriorVbr: ZooModel, @unchecked Sendable {
    override class var declaredArchitecture: Architecture? { .mbt2018MeanVbr }
}
