// Tinify: the one import a Swift user needs. The stages' public types (tensors and dtypes, the
// state dict's files and their errors, the architectures' reports, images as float tensors and
// the codec's strings) come with it; each stage keeps its kernels and parsers to the package.
@_exported import TinifyCore
@_exported import TinifyContainer
@_exported import TinifyPickle
@_exported import TinifyWeights
@_exported import TinifyArchitectures
@_exported import TinifyHDF5
@_exported import TinifySafetensors
@_exported import TinifyTorchWriter
@_exported import TinifyRuntime
