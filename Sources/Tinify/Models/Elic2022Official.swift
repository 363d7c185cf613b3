// Tinify: `elic2022-official`. He, Yang, Peng, Ma, Qin, Wang, "ELIC: Efficient Learned Image Compression
// with Unevenly Grouped Space-Channel Contextual Adaptive Coding" (CVPR 2022).
// Mirrors compressai.models.sensetime.Elic2022Official (CompressAI 1.2.8); its tensors are declared once, in
// TinifyArchitectures (ModelDeclaration.elic2022). It runs as the seven
// others do (TinifyRuntime).
import TinifyArchitectures

/// `elic2022-official`: ELIC: uneven channel groups, each coded with a checkerboard context and a channel context of all earlier groups.
public final class Elic2022Official: ZooModel, @unchecked Sendable {
    override class var declaredArchitecture: Architecture? { .elic2022Official }
}
