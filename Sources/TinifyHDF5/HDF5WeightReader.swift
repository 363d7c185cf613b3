// TinifyHDF5: reads any HDF5 file with Tinify's weights layout, whoever wrote it (Tinify, h5py,
// …): every dataset under `/state_dict`, keyed by its `key` attribute (or by its path with `/`
// read as `.` when it has none), in link creation order where the groups track it (name order
// otherwise). Contiguous, unfiltered little-endian datasets become zero-copy views of the mapped
// file; the rest are read raw (no type conversion, so values stay bit-exact) and byte-swapped
// when stored big-endian. Root attributes become the store's attributes.
import CHDF5
import TinifyCore
import TinifyContainer
import TinifyWeights

/// Reading limits for HDF5 weights files.
public struct HDF5ReadLimits: Sendable {
    /// The deepest group nesting under `/state_dict`.
    public var maxDepth = 256
    /// The most datasets.
    public var maxDatasets = 1_000_000
    /// The largest tensor read into memory (contiguous datasets are mapped, not read).
    public var maxTensorBytes = 1 << 34
    /// For filtered or chunked datasets, the largest ratio of tensor bytes to stored bytes
    /// (deflate cannot exceed about 1032:1), so a tiny file cannot demand a huge allocation.
    public var maxExpansion = 1100
    /// The defaults.
    public init() {}
}

/// A weights file read from HDF5: the store, and each key's `role` attribute where present.
public struct HDF5WeightContents {
    /// The tensors and the root attributes.
    public let store: WeightStore
    /// `parameter` / `buffer` by key, for the datasets that carry a `role`.
    public let roles: [String: String]
}

/// Reads HDF5 weights files.
public enum HDF5WeightReader {
    /// Reads the weights file at `path` into a weight store (container `.hdf5`).
    public static func read(_ path: String, limits: HDF5ReadLimits = HDF5ReadLimits()) throws -> WeightStore {
        try readContents(path, limits: limits).store
    }

    /// Reads an already mapped weights file (libhdf5 opens `file.path`; contiguous datasets
    /// become views of `file`).
    public static func read(file: MappedFile, limits: HDF5ReadLimits = HDF5ReadLimits()) throws -> WeightStore {
        try readContents(file: file, limits: limits).store
    }

    /// Reads the weights file at `path`, with the datasets' roles.
    public static func readContents(_ path: String, limits: HDF5ReadLimits = HDF5ReadLimits()) throws -> HDF5WeightContents {
        let mapped: MappedFile
        do { mapped = try MappedFile(path: path) } catch let e as FileError { throw HDF5Error.file(e) }
        return try readContents(file: mapped, limits: limits)
    }

    /// Reads an already mapped weights file, with the datasets' roles.
    public static func readContents(file mapped: MappedFile, limits: HDF5ReadLimits = HDF5ReadLimits()) throws -> HDF5WeightContents {
        let path = mapped.path
        try HDF5.start()
        let file = try HDF5.id(H5Fopen(path, chdf5_ACC_RDONLY(), chdf5_P_DEFAULT), "H5Fopen")
        defer { H5Fclose(file) }

        var attributes: [String: String] = [:]
        for name in try AttributeReader.names(file) {
            if let v = try AttributeReader.scalar(file, name) { attributes[name] = v.text }
        }
        if let f = attributes["format"], f != HDF5RootAttributes.format {
            throw HDF5Error.notWeightsLayout("format is '\(f.prefix(60))', not '\(HDF5RootAttributes.format)'")
        }
        if let v = attributes["format_version"], Int(v) != HDF5RootAttributes.formatVersion {
            throw HDF5Error.unsupportedFormatVersion(String(v.prefix(20)))
        }
        guard H5Lexists(file, "state_dict", chdf5_P_DEFAULT) > 0 else { throw HDF5Error.notWeightsLayout("no /state_dict group") }
        var info = H5O_info_t()
        try HDF5.check(H5Oget_info_by_name2(file, "state_dict", &info, UInt32(H5O_INFO_BASIC), chdf5_P_DEFAULT), "H5Oget_info /state_dict")
        guard info.type == H5O_TYPE_GROUP else { throw HDF5Error.notWeightsLayout("/state_dict is not a group") }
        let root = try HDF5.id(H5Gopen2(file, "state_dict", chdf5_P_DEFAULT), "H5Gopen2 /state_dict")
        defer { H5Gclose(root) }

        var walker = Walker(file: mapped, limits: limits)
        walker.visited.insert(info.addr)
        try walker.walk(root, path: [], depth: 1)
        return HDF5WeightContents(
            store: WeightStore(entries: walker.entries, container: .hdf5, path: path, attributes: attributes),
            roles: walker.roles)
    }

    /// Walks `/state_dict` depth-first, reading every dataset.
    private struct Walker {
        let file: MappedFile
        let limits: HDF5ReadLimits
        var visited = Set<haddr_t>()
        var entries: [(key: String, tensor: Tensor)] = []
        var roles: [String: String] = [:]
        var keys = Set<String>()

        init(file: MappedFile, limits: HDF5ReadLimits) {
            self.file = file
            self.limits = limits
        }

        mutating func walk(_ group: hid_t, path: [String], depth: Int) throws {
            guard depth <= limits.maxDepth else { throw HDF5Error.limitExceeded(what: "group nesting", limit: limits.maxDepth) }
            for (name, type) in try links(group) {
                let childPath = path + [name]
                let shown = childPath.joined(separator: "/")
                guard type == H5L_TYPE_HARD else {
                    throw HDF5Error.unsupportedLink(path: "/state_dict/" + shown, kind: type == H5L_TYPE_SOFT ? "soft" : type == H5L_TYPE_EXTERNAL ? "external" : "user-defined")
                }
                var info = H5O_info_t()
                try HDF5.check(H5Oget_info_by_name2(group, name, &info, UInt32(H5O_INFO_BASIC), chdf5_P_DEFAULT), "H5Oget_info /state_dict/\(shown)")
                switch info.type {
                case H5O_TYPE_GROUP:
                    guard visited.insert(info.addr).inserted else { continue }  // a hard-link cycle or second link
                    let g = try HDF5.id(H5Gopen2(group, name, chdf5_P_DEFAULT), "H5Gopen2 /state_dict/\(shown)")
                    defer { H5Gclose(g) }
                    try walk(g, path: childPath, depth: depth + 1)
                case H5O_TYPE_DATASET:
                    guard entries.count < limits.maxDatasets else { throw HDF5Error.limitExceeded(what: "dataset count", limit: limits.maxDatasets) }
                    let d = try HDF5.id(H5Dopen2(group, name, chdf5_P_DEFAULT), "H5Dopen2 /state_dict/\(shown)")
                    defer { H5Dclose(d) }
                    try readDataset(d, path: childPath)
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

        private mutating func readDataset(_ d: hid_t, path: [String]) throws {
            let shown = "/state_dict/" + path.joined(separator: "/")
            let key = try AttributeReader.string(d, "key", path: shown) ?? path.joined(separator: ".")
            guard keys.insert(key).inserted else { throw HDF5Error.duplicateKey(key) }
            if let role = try AttributeReader.string(d, "role", path: shown) { roles[key] = role }

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
                guard rank >= 0 else { throw HDF5.failure("H5Sget_simple_extent_ndims \(shown)") }
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

            let bytes = try zeroCopy(d, type: type, stored: stored, byteCount: byteCount, path: shown)
                ?? rawRead(d, type: type, stored: stored, byteCount: byteCount, path: shown)
            if dtype == .bool {
                try bytes.withUnsafeBytes { b in
                    if let bad = b.firstIndex(where: { $0 > 1 }) {
                        throw HDF5Error.badData(path: shown, reason: "bool element \(bad) holds \(b[bad]), not 0 or 1")
                    }
                }
            }
            do {
                entries.append((key, try Tensor(dtype: dtype, shape: shape, bytes: bytes, key: key)))
            } catch {
                throw HDF5Error.badDataspace(path: shown, reason: "\(error)")
            }
        }

        /// The dataset's bytes as a slice of the mapped file, when they are stored contiguously,
        /// unfiltered, in the file itself, little-endian.
        private func zeroCopy(_ d: hid_t, type: hid_t, stored: StoredType, byteCount: Int, path: String) throws -> ByteRegion? {
            if byteCount == 0 { return .empty }
            if stored.bigEndian && stored.dtype.swapUnit > 1 { return nil }
            let dcpl = try HDF5.id(H5Dget_create_plist(d), "H5Dget_create_plist \(path)")
            defer { H5Pclose(dcpl) }
            guard H5Pget_layout(dcpl) == H5D_CONTIGUOUS, H5Pget_nfilters(dcpl) == 0, H5Pget_external_count(dcpl) == 0 else { return nil }
            let address = H5Dget_offset(d)
            guard address != chdf5_HADDR_UNDEF(), let offset = Checked.int(UInt64(address)) else { return nil }
            guard H5Dget_storage_size(d) == hsize_t(byteCount) else { return nil }
            guard let region = ByteRegion(file: file).slice(offset, byteCount) else {
                throw HDF5Error.badData(path: path, reason: "stored at \(offset)+\(byteCount), past the end of the \(file.count)-byte file")
            }
            return region
        }

        /// Reads the dataset with its own stored type as the memory type (no conversion), then
        /// byte-swaps big-endian elements.
        private func rawRead(_ d: hid_t, type: hid_t, stored: StoredType, byteCount: Int, path: String) throws -> ByteRegion {
            guard byteCount <= limits.maxTensorBytes else {
                throw HDF5Error.limitExceeded(what: "dataset \(path) size \(byteCount)", limit: limits.maxTensorBytes)
            }
            let storage = Checked.int(H5Dget_storage_size(d)) ?? Int.max
            guard byteCount <= max(Checked.mul(storage, limits.maxExpansion) ?? Int.max, 1 << 20) else {
                throw HDF5Error.badData(path: path, reason: "\(byteCount) bytes declared but only \(storage) stored")
            }
            let block = HeapBlock(count: byteCount)
            guard let p = block.pointer else { return .empty }
            try HDF5.check(H5Dread(d, type, chdf5_S_ALL, chdf5_S_ALL, chdf5_P_DEFAULT, p), "H5Dread \(path)")
            if stored.bigEndian { Tensor.byteSwap(p, count: byteCount, unit: stored.dtype.swapUnit) }
            return ByteRegion(block: block)
        }
    }
}
