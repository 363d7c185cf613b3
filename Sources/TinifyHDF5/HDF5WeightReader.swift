// TinifyHDF5: reads any HDF5 file with Tinify's weights layout, whoever wrote it (Tinify, h5py,
// …): every dataset under `/state_dict`, keyed by its `key` attribute (or by its path with `/`
// read as `.` when it has none), in link creation order where the groups track it (name order
// otherwise). Contiguous, unfiltered little-endian datasets become zero-copy views of the mapped
// file; the rest are read raw (no type conversion, so values stay bit-exact) and byte-swapped
// when stored big-endian. Root attributes become the store's attributes.
//
// The file is untrusted. Reading is two steps: a *scan* through libhdf5 (`HDF5Scan`), which
// refuses before any data is read whatever could reach beyond this file or past the limits —
// external links anywhere, external storage, virtual datasets, layouts and filters Tinify's
// layout does not use, datasets whose data was never written — counts each dataset object once,
// and bounds the dataset count, the declared bytes and the bytes decompressed across the whole
// file; then a *resolve* step without libhdf5 that turns the scan into tensors (file offsets
// checked against this process's own mapping). libhdf5 is not hardened against corrupted
// metadata, so `HDF5ReadMode.isolated` runs the scan in a helper process with resource limits
// (HDF5Isolation.swift): a libhdf5 crash there is a one-line error here.
import CHDF5
import TinifyCore
import TinifyContainer
import TinifyWeights

/// Reading limits for HDF5 weights files.
public struct HDF5ReadLimits: Sendable {
    /// The deepest group nesting under `/state_dict`.
    public var maxDepth = 256
    /// The most datasets under `/state_dict` (the tensor-count limit every reader shares).
    public var maxDatasets = TensorLimits.maxTensors
    /// The most links visited in the whole file (every link is checked for external targets).
    public var maxLinks = 4 * TensorLimits.maxTensors
    /// The most bytes all datasets declare together (each dataset object counted once).
    public var maxTotalBytes = 1 << 34
    /// The most bytes read through libhdf5 (decompressed, chunked or compact data) together:
    /// more than the largest zoo model with its optimizer state.
    public var maxReadBytes = 256 << 20
    /// The largest tensor read into memory (contiguous datasets are mapped, not read).
    public var maxTensorBytes = 1 << 34
    /// For filtered or chunked datasets, the largest ratio of tensor bytes to stored bytes
    /// (deflate cannot exceed about 1032:1), so a tiny file cannot demand a huge allocation.
    public var maxExpansion = 1100
    /// Limits with every default: the sizes a model file of the zoo needs, with room to spare.
    public init() {}

    /// The memory budget of the read: the bytes read through libhdf5 may not exceed it either
    /// (over it is a `MemoryBudgetError`, over `maxReadBytes` an `HDF5Error.limitExceeded`).
    public var memoryBudget = Int.max

    /// The defaults, with the bytes read into memory through libhdf5 bounded by `memory` too.
    public init(memory: MemoryBudget) {
        memoryBudget = memory.bytes
    }
}

/// A weights file read from HDF5: the store, and each key's `role` attribute where present.
package struct HDF5WeightContents {
    /// The tensors and the root attributes.
    public let store: WeightStore
    /// `parameter` / `buffer` by key, for the datasets that carry a `role`.
    public let roles: [String: String]
}

/// Where the scan runs: in this process, or in a helper process whose crash is an error here.
public enum HDF5ReadMode: Sendable {
    /// libhdf5 runs in this process (it is not hardened against corrupted metadata).
    case inProcess
    /// libhdf5 runs in a helper: `executable` with `arguments` then the file's path, which must
    /// call `HDF5Isolation.serve` (the `tinify` command does, as `tinify hdf5-scan FILE`).
    case isolated(executable: String, arguments: [String])
}

/// Reads HDF5 weights files.
package enum HDF5WeightReader {
    /// Reads the weights file at `path` into a weight store (container `.hdf5`).
    public static func read(_ path: String, limits: HDF5ReadLimits = HDF5ReadLimits(), mode: HDF5ReadMode = .inProcess) throws -> WeightStore {
        try readContents(path, limits: limits, mode: mode).store
    }

    /// Reads an already mapped weights file (contiguous datasets become views of `file`).
    public static func read(file: MappedFile, limits: HDF5ReadLimits = HDF5ReadLimits(), mode: HDF5ReadMode = .inProcess) throws -> WeightStore {
        try readContents(file: file, limits: limits, mode: mode).store
    }

    /// Reads the weights file at `path`, with the datasets' roles.
    public static func readContents(_ path: String, limits: HDF5ReadLimits = HDF5ReadLimits(), mode: HDF5ReadMode = .inProcess) throws -> HDF5WeightContents {
        let mapped: MappedFile
        do { mapped = try MappedFile(path: path) } catch let e as FileError { throw HDF5Error.file(e) }
        return try readContents(file: mapped, limits: limits, mode: mode)
    }

    /// Reads an already mapped weights file, with the datasets' roles.
    public static func readContents(file mapped: MappedFile, limits: HDF5ReadLimits = HDF5ReadLimits(), mode: HDF5ReadMode = .inProcess) throws -> HDF5WeightContents {
        let scan: HDF5Scan
        switch mode {
        case .inProcess: scan = try HDF5Scan(path: mapped.path, fileSize: mapped.count, limits: limits)
        case .isolated(let executable, let arguments):
            scan = try HDF5Isolation.scan(path: mapped.path, fileSize: mapped.count, limits: limits, executable: executable, arguments: arguments)
        }
        return try resolve(scan, file: mapped)
    }

    /// Turns a scan into tensors: file ranges become views of `file` (checked against its
    /// length), aliases share their first link's bytes; every element is validated on read.
    static func resolve(_ scan: HDF5Scan, file: MappedFile) throws -> HDF5WeightContents {
        var entries: [(key: String, tensor: Tensor)] = []
        var roles: [String: String] = [:]
        entries.reserveCapacity(scan.datasets.count)
        for d in scan.datasets {
            let bytes: ByteRegion
            switch d.data {
            case .file(let offset, let count):
                guard let region = ByteRegion(file: file).slice(offset, count) else {
                    throw HDF5Error.badData(path: d.path, reason: "stored at \(offset)+\(count), past the end of the \(file.count)-byte file")
                }
                bytes = region
            case .bytes(let region): bytes = region
            case .alias(let index):
                guard index >= 0, index < entries.count else { throw HDF5Error.badData(path: d.path, reason: "links to dataset \(index), which is not read yet") }
                bytes = entries[index].tensor.storage.bytes
            }
            let tensor: Tensor
            do { tensor = try Tensor(dtype: d.dtype, shape: d.shape, bytes: bytes, key: d.key) } catch {
                throw HDF5Error.badDataspace(path: d.path, reason: "\(error)")
            }
            do { try tensor.validateElements(key: d.key) } catch { throw HDF5Error.badData(path: d.path, reason: "\(error)") }
            if let role = d.role { roles[d.key] = role }
            entries.append((d.key, tensor))
        }
        return HDF5WeightContents(
            store: WeightStore(entries: entries, container: .hdf5, path: file.path, attributes: scan.attributes),
            roles: roles)
    }
}

/// What libhdf5 found in a weights file: the root attributes and, per dataset under
/// `/state_dict`, its key, role, dtype, shape and where its bytes are. Everything that could read
/// beyond the file or past a limit is refused before any dataset's data is read.
struct HDF5Scan {
    /// One dataset link under `/state_dict`.
    struct Dataset {
        /// Where its bytes are.
        enum Data {
            /// A contiguous range of the file itself.
            case file(offset: Int, count: Int)
            /// Read through libhdf5 (chunked, filtered, compact or big-endian data), byte-swapped.
            case bytes(ByteRegion)
            /// The same dataset object as the earlier dataset at this index (a second hard link).
            case alias(Int)
        }
        var path: String
        var key: String
        var role: String?
        var dtype: DType
        var shape: [Int]
        var data: Data
    }

    var attributes: [String: String] = [:]
    var datasets: [Dataset] = []

    init(attributes: [String: String], datasets: [Dataset]) {
        self.attributes = attributes
        self.datasets = datasets
    }

    /// Scans the file at `path` (`fileSize` bytes, as mapped by the caller) through libhdf5.
    init(path: String, fileSize: Int, limits: HDF5ReadLimits) throws {
        try HDF5.start()
        let file = try HDF5.id(H5Fopen(path, chdf5_ACC_RDONLY(), chdf5_P_DEFAULT), "H5Fopen")
        defer { H5Fclose(file) }

        for name in try AttributeReader.names(file) {
            if let v = try AttributeReader.scalar(file, name) { attributes[name] = v.text }
        }
        if let f = attributes["format"], f != HDF5RootAttributes.format {
            throw HDF5Error.notWeightsLayout("format is '\(f.prefix(60))', not '\(HDF5RootAttributes.format)'")
        }
        if let v = attributes["format_version"], Int(v) != HDF5RootAttributes.formatVersion {
            throw HDF5Error.unsupportedFormatVersion(String(v.prefix(20)))
        }
        try HDF5Scan.refuseExternalLinks(file, limit: limits.maxLinks)
        guard H5Lexists(file, "state_dict", chdf5_P_DEFAULT) > 0 else { throw HDF5Error.notWeightsLayout("no /state_dict group") }
        var link = H5L_info_t()
        try HDF5.check(H5Lget_info(file, "state_dict", &link, chdf5_P_DEFAULT), "H5Lget_info /state_dict")
        guard link.type == H5L_TYPE_HARD else { throw HDF5Error.unsupportedLink(path: "/state_dict", kind: HDF5Scan.kind(link.type)) }
        var info = H5O_info_t()
        try HDF5.check(H5Oget_info_by_name2(file, "state_dict", &info, UInt32(H5O_INFO_BASIC), chdf5_P_DEFAULT), "H5Oget_info /state_dict")
        guard info.type == H5O_TYPE_GROUP else { throw HDF5Error.notWeightsLayout("/state_dict is not a group") }
        let root = try HDF5.id(H5Gopen2(file, "state_dict", chdf5_P_DEFAULT), "H5Gopen2 /state_dict")
        defer { H5Gclose(root) }

        var walker = Walker(fileSize: fileSize, limits: limits)
        walker.visitedGroups.insert(info.addr)
        try walker.walk(root, path: [], depth: 1)
        // Every limit on the data read through libhdf5 was checked on the whole plan, so a file
        // over them is refused before any of its data is decompressed.
        for read in walker.pendingReads {
            let d = try HDF5.id(H5Dopen2(file, read.path, chdf5_P_DEFAULT), "H5Dopen2 \(read.path)")
            defer { H5Dclose(d) }
            let type = try HDF5.id(H5Dget_type(d), "H5Dget_type \(read.path)")
            defer { H5Tclose(type) }
            walker.datasets[read.index].data = .bytes(try Walker.rawRead(d, type: type, stored: read.stored, byteCount: read.byteCount, path: read.path))
        }
        datasets = walker.datasets
    }

    static func kind(_ t: H5L_type_t) -> String {
        t == H5L_TYPE_SOFT ? "soft" : t == H5L_TYPE_EXTERNAL ? "external" : t == H5L_TYPE_HARD ? "hard" : "user-defined"
    }

    /// Visits every link of the file (each group once) and refuses external and user-defined
    /// links anywhere: nothing in the file may name another file.
    static func refuseExternalLinks(_ file: hid_t, limit: Int) throws {
        final class Box { var count = 0; var bad: (String, H5L_type_t)?; var limit = 0 }
        let box = Box()
        box.limit = limit
        let status = H5Lvisit(file, H5_INDEX_NAME, H5_ITER_INC, { _, name, info, data in
            guard let name, let info, let data else { return -1 }
            let b = Unmanaged<Box>.fromOpaque(data).takeUnretainedValue()
            b.count += 1
            if b.count > b.limit { return 2 }
            let t = info.pointee.type
            if t != H5L_TYPE_HARD && t != H5L_TYPE_SOFT { b.bad = (String(cString: name), t); return 1 }
            return 0
        }, Unmanaged.passUnretained(box).toOpaque())
        try withExtendedLifetime(box) {
            if let (name, t) = box.bad { throw HDF5Error.unsupportedLink(path: "/" + name, kind: kind(t)) }
            if box.count > limit { throw HDF5Error.limitExceeded(what: "link count", limit: limit) }
            if status < 0 { throw HDF5.failure("H5Lvisit") }
        }
    }

    /// Walks `/state_dict` depth-first, checking every dataset and reading what is not a plain
    /// range of the file.
    private struct Walker {
        let fileSize: Int
        let limits: HDF5ReadLimits
        var visitedGroups = Set<haddr_t>()
        /// Dataset object address → index of its first link in `datasets`.
        var seenDatasets: [haddr_t: Int] = [:]
        var datasets: [Dataset] = []
        var keys = Set<String>()
        var declaredBytes = 0
        var readBytes = 0
        /// The datasets to read through libhdf5 once the walk is done and every limit holds.
        var pendingReads: [(index: Int, path: String, stored: StoredType, byteCount: Int)] = []

        init(fileSize: Int, limits: HDF5ReadLimits) {
            self.fileSize = fileSize
            self.limits = limits
        }

        mutating func walk(_ group: hid_t, path: [String], depth: Int) throws {
            guard depth <= limits.maxDepth else { throw HDF5Error.limitExceeded(what: "group nesting", limit: limits.maxDepth) }
            let entries = try links(group)
            // Each link of a weights layout leads to at least one dataset of its own, so more
            // links than datasets still allowed is refused before any is opened (opening ten
            // thousand datasets alone takes libhdf5 longer than a refusal may).
            guard entries.count <= limits.maxDatasets - datasets.count else {
                throw HDF5Error.limitExceeded(what: "dataset count", limit: limits.maxDatasets)
            }
            for (name, type) in entries {
                let childPath = path + [name]
                let shown = "/state_dict/" + childPath.joined(separator: "/")
                guard type == H5L_TYPE_HARD else { throw HDF5Error.unsupportedLink(path: shown, kind: HDF5Scan.kind(type)) }
                var info = H5O_info_t()
                try HDF5.check(H5Oget_info_by_name2(group, name, &info, UInt32(H5O_INFO_BASIC), chdf5_P_DEFAULT), "H5Oget_info \(shown)")
                switch info.type {
                case H5O_TYPE_GROUP:
                    guard visitedGroups.insert(info.addr).inserted else { continue }  // a hard-link cycle or second link
                    let g = try HDF5.id(H5Gopen2(group, name, chdf5_P_DEFAULT), "H5Gopen2 \(shown)")
                    defer { H5Gclose(g) }
                    try walk(g, path: childPath, depth: depth + 1)
                case H5O_TYPE_DATASET:
                    guard datasets.count < limits.maxDatasets else { throw HDF5Error.limitExceeded(what: "dataset count", limit: limits.maxDatasets) }
                    let d = try HDF5.id(H5Dopen2(group, name, chdf5_P_DEFAULT), "H5Dopen2 \(shown)")
                    defer { H5Dclose(d) }
                    try readDataset(d, path: childPath, shown: shown, address: info.addr)
                default:
                    continue  // committed datatypes and the like hold no tensor
                }
            }
        }

        /// The links of `group`: in creation order when tracked, else in name order.
        private func links(_ group: hid_t) throws -> [(String, H5L_type_t)] {
            final class Box { var links: [(String, H5L_type_t)] = [] }
            for index in [H5_INDEX_CRT_ORDER, H5_INDEX_NAME] {
                let box = Box()
                var idx: hsize_t = 0
                let status = H5Literate(group, index, H5_ITER_INC, &idx, { _, name, info, data in
                    guard let name, let info, let data else { return -1 }
                    Unmanaged<Box>.fromOpaque(data).takeUnretainedValue().links.append((String(cString: name), info.pointee.type))
                    return 0
                }, Unmanaged.passUnretained(box).toOpaque())
                if status >= 0 { return withExtendedLifetime(box) { box.links } }
                if index == H5_INDEX_NAME { throw HDF5.failure("H5Literate") }
            }
            return []
        }

        private mutating func readDataset(_ d: hid_t, path: [String], shown: String, address: haddr_t) throws {
            let key = try AttributeReader.string(d, "key", path: shown) ?? path.joined(separator: ".")
            guard keys.insert(key).inserted else { throw HDF5Error.duplicateKey(key) }
            let role = try AttributeReader.string(d, "role", path: shown)

            let type = try HDF5.id(H5Dget_type(d), "H5Dget_type \(shown)")
            defer { H5Tclose(type) }
            var stored = try HDF5Types.classify(type, path: shown)
            var dtype = stored.dtype
            if let declared = try AttributeReader.string(d, "dtype", path: shown), declared != stored.dtype.name {
                // bfloat16 kept as its 16-bit pattern in an integer dataset is accepted too.
                guard declared == DType.bfloat16.name, stored.dtype == .int16 || stored.dtype == .uint16 else {
                    throw HDF5Error.dtypeMismatch(path: shown, attribute: declared, stored: stored.dtype.name)
                }
                dtype = .bfloat16
                stored = StoredType(dtype: .bfloat16, bigEndian: stored.bigEndian)
            }

            let space = try HDF5.id(H5Dget_space(d), "H5Dget_space \(shown)")
            defer { H5Sclose(space) }
            let shape: [Int]
            switch H5Sget_simple_extent_type(space) {
            case H5S_SCALAR:
                shape = []
            case H5S_SIMPLE:
                let rank = H5Sget_simple_extent_ndims(space)
                guard rank >= 0, rank <= 32 else { throw HDF5Error.badDataspace(path: shown, reason: "rank \(rank)") }
                var dims = [hsize_t](repeating: 0, count: Int(rank))
                guard H5Sget_simple_extent_dims(space, &dims, nil) >= 0 else { throw HDF5.failure("H5Sget_simple_extent_dims \(shown)") }
                shape = try dims.map { v in
                    guard let i = Checked.int(v) else { throw HDF5Error.badDataspace(path: shown, reason: "dimension \(v) is too large") }
                    return i
                }
            default:
                throw HDF5Error.badDataspace(path: shown, reason: "null dataspace (no shape)")
            }
            guard let count = Checked.product(shape), let byteCount = Checked.mul(count, dtype.itemSize) else {
                throw HDF5Error.badDataspace(path: shown, reason: "size of shape \(shape) overflows")
            }

            // A second link to a dataset already read shares its bytes (and its budget).
            if let first = seenDatasets[address] {
                guard datasets[first].dtype == dtype, datasets[first].shape == shape else {
                    throw HDF5Error.badData(path: shown, reason: "links to the dataset at \(datasets[first].path) with another type")
                }
                datasets.append(Dataset(path: shown, key: key, role: role, dtype: dtype, shape: shape, data: .alias(first)))
                return
            }
            guard let total = Checked.add(declaredBytes, byteCount), total <= limits.maxTotalBytes else {
                throw HDF5Error.limitExceeded(what: "bytes declared by all datasets (at \(shown))", limit: limits.maxTotalBytes)
            }
            declaredBytes = total

            let dcpl = try HDF5.id(H5Dget_create_plist(d), "H5Dget_create_plist \(shown)")
            defer { H5Pclose(dcpl) }
            let storage = try checkStorage(d, dcpl: dcpl, byteCount: byteCount, path: shown)
            let data: Dataset.Data
            if byteCount == 0 {
                data = .bytes(.empty)
            } else if let range = try fileRange(d, storage: storage, stored: stored, byteCount: byteCount, path: shown) {
                data = range
            } else {
                try planRead(stored: stored, byteCount: byteCount, storage: storage.bytes, path: shown)
                data = .bytes(.empty)  // read after the walk (see `pendingReads`)
            }
            seenDatasets[address] = datasets.count
            datasets.append(Dataset(path: shown, key: key, role: role, dtype: dtype, shape: shape, data: data))
        }

        /// How a dataset is stored, once `checkStorage` has accepted it.
        struct Storage {
            /// The bytes the file holds for it.
            let bytes: Int
            /// Whether they are one contiguous block with no filter (a range of the file).
            let contiguousUnfiltered: Bool
        }

        /// Refuses what could read beyond this file or present data never written: external
        /// storage, virtual and unknown layouts, filters other than deflate, shuffle and
        /// fletcher32 (a filter plugin would be code the file chooses), and unallocated data.
        private func checkStorage(_ d: hid_t, dcpl: hid_t, byteCount: Int, path: String) throws -> Storage {
            let external = H5Pget_external_count(dcpl)
            guard external == 0 else { throw HDF5Error.unsupportedStorage(path: path, reason: "external storage (\(external) files)") }
            let layout = H5Pget_layout(dcpl)
            switch layout {
            case H5D_CONTIGUOUS, H5D_CHUNKED, H5D_COMPACT: break
            case H5D_VIRTUAL: throw HDF5Error.unsupportedStorage(path: path, reason: "virtual dataset (its data lives in other datasets or files)")
            default: throw HDF5Error.unsupportedStorage(path: path, reason: "layout \(layout.rawValue)")
            }
            let filters = H5Pget_nfilters(dcpl)
            guard filters >= 0, filters <= 8 else { throw HDF5Error.unsupportedStorage(path: path, reason: "\(filters) filters") }
            for i in 0..<UInt32(filters) {
                var flags: UInt32 = 0
                var nelmts = 0
                var name = [CChar](repeating: 0, count: 64)
                var config: UInt32 = 0
                let id = H5Pget_filter2(dcpl, i, &flags, &nelmts, nil, name.count, &name, &config)
                guard id == H5Z_FILTER_DEFLATE || id == H5Z_FILTER_SHUFFLE || id == H5Z_FILTER_FLETCHER32 else {
                    throw HDF5Error.unsupportedStorage(path: path, reason: "filter \(id) (only deflate, shuffle and fletcher32 are read)")
                }
            }
            guard let storage = Checked.int(H5Dget_storage_size(d)), storage <= fileSize else {
                throw HDF5Error.badData(path: path, reason: "stores more bytes than the \(fileSize)-byte file holds")
            }
            // No chunk (or no contiguous block) written: libhdf5 would present fill values as data.
            if byteCount > 0 && storage == 0 { throw HDF5Error.badData(path: path, reason: "data never written (only fill values)") }
            return Storage(bytes: storage, contiguousUnfiltered: layout == H5D_CONTIGUOUS && filters == 0)
        }

        /// The dataset's bytes as a range of the file, when they are stored contiguously,
        /// unfiltered, little-endian.
        private func fileRange(_ d: hid_t, storage: Storage, stored: StoredType, byteCount: Int, path: String) throws -> Dataset.Data? {
            if stored.bigEndian && stored.dtype.swapUnit > 1 { return nil }
            guard storage.contiguousUnfiltered, storage.bytes == byteCount else { return nil }
            let address = H5Dget_offset(d)
            guard address != chdf5_HADDR_UNDEF(), let offset = Checked.int(UInt64(address)) else { return nil }
            guard let end = Checked.add(offset, byteCount), end <= fileSize else {
                throw HDF5Error.badData(path: path, reason: "stored at \(offset)+\(byteCount), past the end of the \(fileSize)-byte file")
            }
            return .file(offset: offset, count: byteCount)
        }

        /// Checks the limits on a dataset read through libhdf5 (its size, its expansion from
        /// what is stored, and the running total against `maxReadBytes` and the memory budget)
        /// and queues the read; nothing is read yet.
        private mutating func planRead(stored: StoredType, byteCount: Int, storage: Int, path: String) throws {
            guard byteCount <= limits.maxTensorBytes else {
                throw HDF5Error.limitExceeded(what: "dataset \(path) size \(byteCount)", limit: limits.maxTensorBytes)
            }
            guard byteCount <= max(Checked.mul(storage, limits.maxExpansion) ?? Int.max, 1 << 16) else {
                throw HDF5Error.badData(path: path, reason: "\(byteCount) bytes declared but only \(storage) stored")
            }
            guard let total = Checked.add(readBytes, byteCount), total <= limits.maxReadBytes else {
                throw HDF5Error.limitExceeded(what: "bytes read through libhdf5 (at \(path))", limit: limits.maxReadBytes)
            }
            try MemoryBudget(bytes: limits.memoryBudget).check(total, for: "the data read through libhdf5 (up to \(path))")
            readBytes = total
            pendingReads.append((datasets.count, path, stored, byteCount))
        }

        /// Reads the dataset with its own stored type as the memory type (no conversion), then
        /// byte-swaps big-endian elements.
        static func rawRead(_ d: hid_t, type: hid_t, stored: StoredType, byteCount: Int, path: String) throws -> ByteRegion {
            guard let block = HeapBlock(allocating: byteCount) else {
                throw HDF5Error.limitExceeded(what: "memory for dataset \(path) (\(byteCount) bytes could not be allocated)", limit: byteCount)
            }
            guard let p = block.pointer else { return .empty }
            try HDF5.check(H5Dread(d, type, chdf5_S_ALL, chdf5_S_ALL, chdf5_P_DEFAULT, p), "H5Dread \(path)")
            if stored.bigEndian { Tensor.byteSwap(p, count: byteCount, unit: stored.dtype.swapUnit) }
            return ByteRegion(block: block)
        }
    }
}
