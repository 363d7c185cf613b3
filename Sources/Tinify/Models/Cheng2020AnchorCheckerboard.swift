// Tinify: `cheng2020-anchor-checkerboard`. He, Zheng, Sun, Wang, Qin, "Checkerboard Context Model for Efficient
// Learned Image Compression" (CVPR 2021), on Cheng et al. 2020's anchor.
// Mirrors compressai.models.sensetime.Cheng2020AnchorCheckerboard (CompressAI 1.2.8); its tensors are declared once, in
// TinifyArchitectures (ModelDeclaration.cheng2020AnchorCheckerboard). It runs as the seven
// others do (TinifyRuntime).
import TinifyArchitectures

/// `cheng2020-anchor-checkerboard`: cheng2020-anchor's transforms with a two-pass checkerboard context (M = N).
public final class Cheng2020AnchorCheckerboard: ZooModel, @unchecked Sendable {
    override class var declaredArchitecture: Architecture? { .cheng2020AnchorCheckerboard }
}
