// swift-tools-version:6.0
// Tinify: CompressAI checkpoints without Python.
//
// The data flows one way, and every stage is its own target with its own error type:
//
//   file ─▶ TinifyContainer (zip / legacy stream)   ContainerError
//        ─▶ TinifyPickle    (restricted machine)    PickleError
//        ─▶ TinifyWeights   (value tree, store)     WeightError
//        ─▶ TinifyArchitectures (verify, bind)      ArchitectureError / VerificationReport
//        ─▶ TinifyRuntime   (kernels, entropy)      RuntimeError
//        ─▶ TinifyHDF5 / TinifySafetensors / TinifyTorchWriter   (writers and readers)
//
// Tinify (the library product, `import Tinify`) ties the stages together: state dicts and their
// files, one model class per architecture, images as tensors, the codec file. The `tinify`
// command (target TinifyCommand) is built on it.
import PackageDescription


let package = Package(
    name: "Tinify",
    products: [
        .executable(name: "tinify", targets: ["TinifyCommand"]),
        .executable(name: "tinify-bench", targets: ["tinify-bench"]),
        .library(name: "Tinify", targets: ["Tinify"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
        // `swift package generate-documentation --target Tinify` (the DocC catalog; built in CI).
        .package(url: "https://github.com/swiftlang/swift-docc-plugin", from: "1.5.0"),
    ],
    targets: [
        // MARK: System libraries (Debian packages)
        .systemLibrary(name: "CZip", pkgConfig: "libzip", providers: [.apt(["libzip-dev"])]),
        // libhdf5, OpenBLAS and libpng (and libjpeg, whose jpeglib.h only CLazyLibraries' C includes):
        // headers only; CLazyLibraries loads each library on first use,
        // so commands that do not need them (inspect, verify, …) start without loading them.
        .systemLibrary(name: "CHDF5", providers: [.apt(["libhdf5-dev"])]),
        .systemLibrary(name: "CBLAS", providers: [.apt(["libopenblas-dev"])]),
        .systemLibrary(name: "CPNG", providers: [.apt(["libpng-dev"])]),
        .target(name: "CLazyLibraries", exclude: ["generate_stubs.py", "hdf5_functions.txt"]),
        .systemLibrary(name: "CCrypto", pkgConfig: "libcrypto", providers: [.apt(["libssl-dev"])]),
        // The AVX version of the deterministic kernels' product (chosen at run time by CVectorKernels'
        // tinify_avx_loops; same bits).
        .target(name: "CDeterministic", dependencies: ["CVectorKernels"]),
        // AVX versions of inner loops of the fast kernels: the Winograd transforms, GDN's elementwise
        // steps, stride-2 gathers, bias-activation-store (chosen at run time; the same bits as the
        // Swift loops they replace).
        .target(name: "CVectorKernels"),

        // MARK: Stages
        .target(name: "TinifyCore", dependencies: ["CCrypto"]),
        .target(name: "TinifyPickle", dependencies: ["TinifyCore"]),
        .target(name: "TinifyContainer", dependencies: ["TinifyCore", "TinifyPickle", "CZip"]),
        .target(name: "TinifyWeights", dependencies: ["TinifyCore", "TinifyPickle", "TinifyContainer"]),
        .target(name: "TinifyArchitectures", dependencies: ["TinifyCore", "TinifyWeights"]),
        .target(name: "TinifyHDF5", dependencies: ["TinifyCore", "TinifyWeights", "CHDF5", "CLazyLibraries"]),
        .target(name: "TinifySafetensors", dependencies: ["TinifyCore", "TinifyWeights"]),
        .target(name: "TinifyTorchWriter", dependencies: ["TinifyCore", "TinifyWeights"]),
        .target(name: "TinifyRuntime", dependencies: ["TinifyCore", "TinifyWeights", "TinifyArchitectures", "CBLAS", "CPNG", "CLazyLibraries", "CDeterministic", "CVectorKernels"],
                // On Apple platforms the BLAS is Accelerate, linked directly (elsewhere OpenBLAS is
                // loaded on first use by CLazyLibraries).
                linkerSettings: [.linkedFramework("Accelerate", .when(platforms: [.macOS, .iOS, .tvOS, .visionOS]))]),
        .target(name: "Tinify", dependencies: [
            "TinifyCore", "TinifyPickle", "TinifyContainer", "TinifyWeights", "TinifyArchitectures",
            "TinifyHDF5", "TinifySafetensors", "TinifyTorchWriter", "TinifyRuntime",
        ]),

        // MARK: Executables
        .executableTarget(name: "TinifyCommand", dependencies: [
            "Tinify", .product(name: "ArgumentParser", package: "swift-argument-parser"),
        ], path: "Sources/tinify"),
        // (Nothing `tinify` links may import Foundation, FoundationEssentials is fine: the README's
        // release build links the Swift runtime statically with `--static-swift-stdlib`.)
        .executableTarget(name: "tinify-bench", dependencies: ["Tinify"]),
        .executableTarget(name: "tinify-example", dependencies: ["Tinify"], path: "Samples/Example"),
        // libFuzzer targets (Tests/Fuzz/run.sh builds them with -sanitize=fuzzer,address); built
        // plainly, the same binary replays corpus files (the regression check).
        .executableTarget(name: "tinify-fuzz", dependencies: ["Tinify"], path: "Tests/Fuzz",
                          exclude: ["Corpus", "Regressions", "run.sh", "make_corpus.py", "README.md"]),

        // MARK: Tests
        .target(name: "TestSupport", dependencies: ["Tinify"], path: "Tests/TestSupport"),
        .testTarget(name: "ReaderTests", dependencies: ["Tinify", "TinifyCommand", "TestSupport"]),
        .testTarget(name: "HostileInputTests", dependencies: ["Tinify", "TestSupport"]),
        .testTarget(name: "APITests", dependencies: ["Tinify", "TestSupport"]),
        .testTarget(name: "ArchitectureTests", dependencies: ["Tinify", "TinifyCommand", "TestSupport"]),
        .testTarget(name: "FormatTests", dependencies: ["Tinify", "TinifyCommand", "TestSupport"], exclude: ["interop_check.py", "torch_check.py"]),
        .testTarget(name: "EvaluationTests", dependencies: ["Tinify", "TestSupport"], exclude: ["make_eval_reference.py", "reference"]),
        .testTarget(name: "RuntimeTests", dependencies: ["Tinify", "TestSupport"], exclude: ["codec_check.py"]),
        .testTarget(name: "PortabilityTests", dependencies: ["TestSupport"], path: "Tests/Portability",
                    exclude: ["README.md", "train_models.py", "sweep.py", "trained", "images"]),
    ],
    swiftLanguageModes: [.v6]
)
