// TinifyRuntime: torch.nn.PixelShuffle and CompressAI's `subpel_conv3x3` (a 3×3 convolution to
// o·r² channels followed by PixelShuffle(r)): out[c, h·r+a, w·r+b] = in[c·r²+a·r+b, h, w].

/// PixelShuffle(r) on NCHW tensors.
package enum PixelShuffle {
    /// Rearranges `x` (N, C·r², H, W) into (N, C, H·r, W·r).
    package static func apply(_ x: FloatTensor, _ r: Int) throws -> FloatTensor {
        guard x.shape.count == 4, r > 0, x.c % (r * r) == 0 else {
            throw RuntimeError.layerMismatch("pixel shuffle of \(x.shape) by \(r)")
        }
        let co = x.c / (r * r), h = x.h, w = x.w
        return FloatTensor(shape: [x.n, co, h * r, w * r]) { out in
            x.withUnsafeBufferPointer { px in
                let src = px.baseAddress!
                Parallel.forEach(x.n * co) { job in
                    let b = job / co, c = job % co
                    let dplane = out + (b * co + c) * h * r * w * r
                    for a in 0..<r {
                        for bb in 0..<r {
                            let splane = src + ((b * x.c) + c * r * r + a * r + bb) * h * w
                            for y in 0..<h {
                                let drow = dplane + (y * r + a) * w * r + bb
                                let srow = splane + y * w
                                for xx in 0..<w { drow[xx * r] = srow[xx] }
                            }
                        }
                    }
                }
            }
        }
    }
}

/// CompressAI's `subpel_conv3x3(i, o, r)`: keys `<prefix>.0.weight/bias`.
package final class SubpelConv: @unchecked Sendable {
    /// The 3×3 convolution to o·r² channels, shuffled by r.
    package let conv: Conv2d

    /// Binds `<prefix>.0`.
    package init(_ weights: WeightReader, _ prefix: String, in inC: Int, out outC: Int, r: Int = 2, tile: WinogradTile = .f2) throws {
        conv = try Conv2d(weights, prefix + ".0", in: inC, out: outC * r * r, kernel: 3, stride: 1, padding: 1, shuffle: r, tile: tile)
    }

    /// Convolution then PixelShuffle, then `act` (elementwise, so it commutes with the shuffle).
    package func callAsFunction(_ x: FloatTensor, _ act: Activation = .none, mode: KernelMode = .fast) throws -> FloatTensor {
        try conv(x, act, mode: mode)
    }
}
