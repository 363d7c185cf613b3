// Tinify: `elic2022-chandelier`. He et al., "ELIC" (CVPR 2022), as re-implemented by V. Chandelier,
// "ELiC-ReImplemetation" (2023).
// Mirrors compressai.models.sensetime.Elic2022Chandelier (CompressAI 1.2.8); its tensors are declared once, in
// TinifyArchitectures (ModelDeclaration.elic2022). It runs as the seven
// others do (TinifyRuntime).
import TinifyArchitectures

/// `elic2022-chandelier`: ELIC as Chandelier re-implemented it: the channel context reads the first and the latest group only.
public final class Elic2022Chandelier: ZooModel, @unchecked Sendable {
    override class var declaredArchitecture: Architecture? { .elic2022Chandelier }
}
