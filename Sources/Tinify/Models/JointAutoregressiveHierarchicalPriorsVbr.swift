// Tinify: `mbt2018-vbr`. Kamisli, Racapé, Choi, "Variable-Rate Learned Image Compression with
// Multi-Objective Optimization and Quantization-Reconstruction Offsets" (DCC 2024).
// Mirrors compressai.models.vbr.JointAutoregressiveHierarchicalPriorsVbr (CompressAI 1.2.8); its tensors are declared once, in
// TinifyArchitectures (ModelDeclaration.variableRate). It runs as the seven
// others do (TinifyRuntime).
import TinifyArchitectures

/// `mbt2018-vbr`: mbt2018 with one model for every rate (`scale_to_context` feeds the step to the context model).
public final class JointAutoregressiveHierarchicalPriorsVbr: ZooModel, @unchecked Sendable {
    override class var declaredArchitecture: Architecture? { .mbt2018Vbr }
}
