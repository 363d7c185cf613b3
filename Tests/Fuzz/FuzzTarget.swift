// tinify-fuzz: the libFuzzer targets, one per surface a hostile file reaches. Each takes the
// bytes of one input file and runs it the way the `tinify` command does; a thrown error is the
// expected outcome for almost every input, a crash (or an ASan report) is a bug.
import TinifyCore
import TinifyWeights
import TinifyContainer
import TinifyArchitectures
@_spi(Fuzzing) import TinifyHDF5
import TinifySafetensors
import TinifyRuntime
import Tinify

/// The surfaces fuzzed, each with its own seed corpus in `Corpus/<name>/`.
enum FuzzTarget: String, CaseIterable {
    /// `.pth` and `.pth.tar` files: container (zip or legacy stream) and the restricted pickle machine.
    case pickle
    /// `.safetensors` files.
    case safetensors
    /// `.h5` files, scanned in the helper process as `tinify` does (`TINIFY_EXE` names the helper).
    case hdf5
    /// The helper's answer, as a compromised helper could write it, for a fixed `.h5` file.
    case hdf5Answer = "hdf5-answer"
    /// Compressed-image `.bin` files decoded by a fixture model of the architecture they name.
    case codec
    /// PNG images.
    case png
    /// Any weights file → detect → verify → build → update, aux_loss and forward on a 16×16 image.
    case model
    /// eval_model result documents and partial results (`eval merge`, `plot`, `bd-rate` inputs).
    case evaluation

    /// Runs one input; errors are swallowed (they are the expected outcome), or printed when
    /// `verbose` (the replay's `-v`, to see which seeds get past the readers).
    func run(_ bytes: UnsafeRawBufferPointer, verbose: Bool = false) {
        do {
            switch self {
            case .pickle: try Self.readWeights(bytes, allow: [.torchZip, .torchLegacy])
            case .safetensors: try Self.readWeights(bytes, allow: [.safetensors])
            case .hdf5: try Self.readWeights(bytes, allow: [.hdf5])
            case .hdf5Answer: try Self.hdf5Answer(bytes)
            case .codec: try Self.decode(bytes)
            case .png: try Self.png(bytes)
            case .model: try Self.model(bytes)
            case .evaluation: try Self.evaluation(bytes)
            }
            if verbose { print("  ok") }
        } catch {
            let message = "\(error)"  // every error must describe itself without trapping
            if verbose { print("  error: \(message)") }
        }
    }

    // MARK: The targets

    static func readWeights(_ bytes: UnsafeRawBufferPointer, allow: Set<ContainerKind>) throws {
        guard let kind = try? ContainerSniffer.sniff(bytes), allow.contains(kind) else { return }
        let store = try WeightFile.open(try Scratch.write(bytes), options: Fixtures.readOptions)
        touch(store)
    }

    static func hdf5Answer(_ bytes: UnsafeRawBufferPointer) throws {
        guard let file = Fixtures.hdf5File else { return }
        let contents = try HDF5Isolation.decodeAnswer(ByteRegion(copying: bytes), file: file, limits: HDF5ReadLimits())
        touch(contents.store)
    }

    static func decode(_ bytes: UnsafeRawBufferPointer) throws {
        let file = try CompressedImageFile(decoding: Array(bytes), maxPixels: 1 << 16)
        guard let model = Fixtures.models[file.architecture] else { return }
        let x = try ImageCodec.decompress(model, file: file, budget: MemoryBudget(bytes: 1 << 30))
        _ = x.withUnsafeBufferPointer { $0.reduce(0, +) }
    }

    static func evaluation(_ bytes: UnsafeRawBufferPointer) throws {
        let text = Array(bytes)
        if let record = try? EvaluationRecord(json: text, file: "part"), record.isComplete, record.unitCount < 10_000 {
            _ = try? EvaluationRecord.merge([("part", record)]).result().json
        }
        let document = try EvaluationResult(json: text, file: "result")
        _ = document.json
    }

    static func png(_ bytes: UnsafeRawBufferPointer) throws {
        let path = try Scratch.write(bytes)
        let x = try PNGImage.read(path) { w, h in
            try MemoryBudget(bytes: 64 << 20).check(w * h * 16, for: "a \(w)×\(h) image")
        }
        _ = x.withUnsafeBufferPointer { $0.reduce(0, +) }
    }

    static func model(_ bytes: UnsafeRawBufferPointer) throws {
        let store = try WeightFile.open(try Scratch.write(bytes), options: Fixtures.readOptions)
        let stateDict = CheckpointWeights(store)
        let id = try ArchitectureDetector.detect(stateDict).architecture
        let model = try RuntimeModels.make(id, store: WeightStore(entries: stateDict.entries, container: store.container, path: store.path))
        _ = model.auxLoss()
        _ = try model.update(scaleTable: nil, force: true)
        let image = FloatTensor(shape: [1, 3, 16, 16]) { p in for i in 0..<(3 * 16 * 16) { p[i] = Float(i % 251) / 250 } }
        let padded = Padding(height: 16, width: 16, multiple: model.downsamplingFactor).pad(image)
        let result = try model.forward(padded)
        _ = result.bits
        if (try? model.checkCodingTables()) != nil {
            let latents = try model.compress(padded)
            _ = try model.decompress(latents)
        }
    }

    /// Reads every element of every tensor, so a view past its storage shows up under ASan.
    static func touch(_ store: WeightStore) {
        var x: UInt8 = 0
        for (_, t) in store.entries {
            guard t.byteCount <= 64 << 20 else { continue }
            t.contiguousBytes().withUnsafeBytes { for b in $0 { x ^= b } }
        }
        Fixtures.sink ^= x
    }
}
