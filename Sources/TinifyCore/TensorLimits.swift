// TinifyCore: the limits every weights reader shares, so that a file of any format reaching them
// is still read (or refused) well inside the time budget of one command.

/// Limits shared by the `.pth`, safetensors and HDF5 readers.
package enum TensorLimits {
    /// The most tensors one file may hold (CompressAI's largest zoo model has about 300; a
    /// training checkpoint with Adam state about three times that).
    public static let maxTensors = 10_000
}
