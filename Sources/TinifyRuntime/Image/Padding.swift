// TinifyRuntime: CompressAI's `compute_padding(h, w, min_div)` (compressai.ops): pad to the next
// multiple of `min_div`, centred (left = (W'−W)//2, top = (H'−H)//2), zeros, and crop back.

/// Centred zero padding to a multiple of the model's downsampling factor, and its inverse.
package struct Padding: Sendable, Equatable {
    /// Pixels added on each side.
    package let left: Int, right: Int, top: Int, bottom: Int

    /// The padding of an `h × w` image to multiples of `multiple`.
    package init(height h: Int, width w: Int, multiple: Int) {
        let oh = (h + multiple - 1) / multiple * multiple, ow = (w + multiple - 1) / multiple * multiple
        left = (ow - w) / 2; right = ow - w - left
        top = (oh - h) / 2; bottom = oh - h - top
    }

    /// Whether nothing is added.
    package var isZero: Bool { left == 0 && right == 0 && top == 0 && bottom == 0 }

    /// `F.pad(x, (left, right, top, bottom), value=0)`.
    package func pad(_ x: FloatTensor) -> FloatTensor {
        if isZero { return x }
        let (h, w) = (x.h, x.w), (oh, ow) = (x.h + top + bottom, x.w + left + right)
        if x.count == 0 { return FloatTensor(shape: [x.n, x.c, oh, ow], repeating: 0) }
        // Each padded plane row by row: the zero rows above, each image row between its zeros,
        // the zero rows below.
        return FloatTensor(shape: [x.n, x.c, oh, ow]) { dst in
            x.withUnsafeBufferPointer { src in
                for p in 0..<(x.n * x.c) {
                    let plane = dst + p * oh * ow
                    plane.update(repeating: 0, count: top * ow)
                    for y in 0..<h {
                        let row = plane + (y + top) * ow
                        row.update(repeating: 0, count: left)
                        (row + left).update(from: src.baseAddress! + (p * h + y) * w, count: w)
                        (row + left + w).update(repeating: 0, count: right)
                    }
                    (plane + (top + h) * ow).update(repeating: 0, count: bottom * ow)
                }
            }
        }
    }

    /// Removes the padding (`F.pad` with the negated amounts).
    package func crop(_ x: FloatTensor) -> FloatTensor {
        isZero ? x : x.cropped(top: top, left: left, height: x.h - top - bottom, width: x.w - left - right)
    }
}

extension FloatTensor {
    /// The `height × width` window of every plane of an NCHW tensor whose top-left corner is at
    /// (`top`, `left`); the window must lie inside the planes.
    package func cropped(top: Int, left: Int, height: Int, width: Int) -> FloatTensor {
        let (h0, w0) = (h, w)
        return FloatTensor(shape: [n, c, height, width]) { dst in
            withUnsafeBufferPointer { src in
                for p in 0..<(n * c) {
                    for y in 0..<height {
                        (dst + (p * height + y) * width).update(from: src.baseAddress! + (p * h0 + y + top) * w0 + left, count: width)
                    }
                }
            }
        }
    }
}
