// TinifyHDF5: writes Tinify's HDF5 weights layout (issue 4 §1): root attributes `format`,
// `format_version`, `architecture`, `N`, `M`, `source_sha256`, `source_container`, `producer`;
// group `/state_dict` with one dataset per tensor at the path its dotted key makes, each with
// attributes `key`, `dtype` and `role`. Datasets are contiguous, or chunked + shuffle + deflate
// with `compress`. Groups track link creation order, so readers can list keys in written order.
// The file is written to a temporary beside the output and renamed into place.
//
// Contiguous datasets get their space when they are created and libhdf5 writes only the
// structure; the tensor bytes are put at each dataset's offset afterwards (`RawDataWriter`:
// `copy_file_range` from a mapped source file, `pwrite` otherwise), before the file is closed.
import CHDF5
import TinifyCore

/// The root attributes of a weights file (`format` and `format_version` are always written).
package struct HDF5RootAttributes: Sendable {
    /// The `format` attribute's value.
    package static let format = "tinify-weights"
    /// The `format_version` written and the newest one read.
    package static let formatVersion = 1

    /// The architecture's zoo name, when known.
    package var architecture: String?
    /// The `N` hyperparameter, when known.
    package var N: Int?
    /// The `M` hyperparameter, when known.
    package var M: Int?
    /// Hyperparameters beyond N and M, as string attributes (`groups`, `vr_entbttlnck`), when set.
    package var hyperparameters: [String: String] = [:]
    /// The SHA-256 of the source file, when converted from one.
    package var sourceSHA256: String?
    /// The source file's container (`torch-zip`, `safetensors`, …).
    package var sourceContainer: String?
    /// The writing program and its version, e.g. `Tinify 0.1.0`.
    package var producer: String
    /// Further string attributes (e.g. a safetensors `__metadata__`); the names above win.
    package var extra: [String: String]

    /// Root attributes; unknown values are left out of the file.
    package init(architecture: String? = nil, N: Int? = nil, M: Int? = nil, sourceSHA256: String? = nil,
                sourceContainer: String? = nil, producer: String = "Tinify", extra: [String: String] = [:]) {
        self.architecture = architecture
        self.N = N
        self.M = M
        self.sourceSHA256 = sourceSHA256
        self.sourceContainer = sourceContainer
        self.producer = producer
        self.extra = extra
    }

    /// The names written by Tinify itself.
    package static let reservedNames: Set<String> = [
        "format", "format_version", "architecture", "N", "M", "groups", "vr_entbttlnck", "source_sha256", "source_container", "producer",
    ]
}

/// Writes HDF5 weights files.
package enum HDF5WeightWriter {
    /// The deflate level used with `compress` (h5py's default for gzip).
    package static let deflateLevel: UInt32 = 4
    /// The largest chunk, in bytes, with `compress`.
    package static let chunkBytes = 1 << 20

    /// Writes `entries` to `path` atomically. `roles` maps keys to `parameter` / `buffer`.
    /// Keys that collide as paths (`a.b` and `a.b.c`) are refused before anything is written.
    /// An existing `path` is replaced unless `replace` is false.
    ///
    /// `sourceSHA256`, when given, is called once everything else is written and on disk (the
    /// file is flushed and its data synced first), and a non-nil result is written as the
    /// `source_sha256` attribute in place of `attributes.sourceSHA256`: a hash computed on another
    /// thread then overlaps all of the writing, and only the attribute is left to flush after it.
    package static func write(entries: [(key: String, tensor: Tensor)], attributes: HDF5RootAttributes,
                             roles: [String: String] = [:], to path: String, compress: Bool = false,
                             replace: Bool = true, progress: WriteProgress? = nil,
                             sourceSHA256: (() -> String?)? = nil) throws {
        let plan = try HDF5Plan(keys: entries.map(\.key))
        do {
            try AtomicFile.write(to: path, replace: replace, byPath: { temp in
                try writeFile(temp, target: path, entries: entries, plan: plan, attributes: attributes, roles: roles,
                              compress: compress, progress: progress, lateSHA256: sourceSHA256)
            })
        } catch let e as FileError {
            throw HDF5Error.file(e)
        }
    }

    private static func writeFile(_ path: String, target: String, entries: [(key: String, tensor: Tensor)], plan: HDF5Plan,
                                  attributes: HDF5RootAttributes, roles: [String: String], compress: Bool,
                                  progress: WriteProgress?, lateSHA256: (() -> String?)?) throws {
        try HDF5.start()
        let fapl = try HDF5.id(H5Pcreate(chdf5_P_FILE_ACCESS()), "H5Pcreate")
        defer { H5Pclose(fapl) }
        try HDF5.check(H5Pset_libver_bounds(fapl, H5F_LIBVER_V18, H5F_LIBVER_V18), "H5Pset_libver_bounds")
        try HDF5.check(H5Pset_fclose_degree(fapl, H5F_CLOSE_STRONG), "H5Pset_fclose_degree")
        try HDF5.check(H5Pset_alignment(fapl, 4096, 64), "H5Pset_alignment")
        let file = try HDF5.id(H5Fcreate(path, chdf5_ACC_TRUNC(), chdf5_P_DEFAULT, fapl), "H5Fcreate")
        var fileOpen = true
        defer { if fileOpen { H5Fclose(file) } }

        let attrs = try AttributeWriter()
        try writeRootAttributes(file, attributes, attrs, sha256: lateSHA256 == nil)

        let lcpl = try HDF5.id(H5Pcreate(chdf5_P_LINK_CREATE()), "H5Pcreate")
        defer { H5Pclose(lcpl) }
        try HDF5.check(H5Pset_char_encoding(lcpl, H5T_CSET_UTF8), "H5Pset_char_encoding")
        let gcpl = try HDF5.id(H5Pcreate(chdf5_P_GROUP_CREATE()), "H5Pcreate")
        defer { H5Pclose(gcpl) }
        try HDF5.check(H5Pset_link_creation_order(gcpl, UInt32(H5P_CRT_ORDER_TRACKED | H5P_CRT_ORDER_INDEXED)), "H5Pset_link_creation_order")

        var groups: [String: hid_t] = [:]
        defer { for g in groups.values { H5Gclose(g) } }
        groups[""] = try HDF5.id(H5Gcreate2(file, "state_dict", lcpl, gcpl, chdf5_P_DEFAULT), "H5Gcreate2 /state_dict")
        let total = entries.reduce(0) { $0 + $1.tensor.byteCount }
        var done = 0
        var placements: [RawPlacement] = []
        for step in plan.steps {
            switch step {
            case .group(let g):
                guard let parent = groups[g.parent] else { throw HDF5Error.library(operation: "H5Gcreate2 \(g.path)", message: "parent missing") }
                groups[g.path] = try HDF5.id(H5Gcreate2(parent, g.name, lcpl, gcpl, chdf5_P_DEFAULT), "H5Gcreate2 /state_dict/\(g.path)")
            case .dataset(let d):
                guard let parent = groups[d.parent] else { throw HDF5Error.library(operation: "H5Dcreate2 \(d.path)", message: "parent missing") }
                let (key, tensor) = entries[d.entry]
                if let placement = try writeDataset(parent, name: d.name, path: d.path, key: key, tensor: tensor, role: roles[key],
                                                    compress: compress, lcpl: lcpl, attrs: attrs) {
                    placements.append(placement)
                } else {
                    done += tensor.byteCount
                    progress?(done, total)
                }
            }
        }
        for g in groups.values { H5Gclose(g) }
        groups.removeAll()
        if !placements.isEmpty {
            let before = done
            try RawDataWriter.fill(path, target: target, placements: placements) { progress?(before + $0, total) }
        }
        if let lateSHA256 {
            // The hash is usually still running: make everything written so far durable while
            // waiting for it, so that only the attribute is left to flush afterwards.
            try HDF5.check(H5Fflush(file, H5F_SCOPE_LOCAL), "H5Fflush")
            try RawDataWriter.syncData(path, target: target)
            if let sha = lateSHA256() { try attrs.string(file, "source_sha256", sha) }
        }
        fileOpen = false
        try HDF5.check(H5Fclose(file), "H5Fclose")
    }

    private static func writeRootAttributes(_ file: hid_t, _ a: HDF5RootAttributes, _ w: AttributeWriter, sha256: Bool) throws {
        try w.string(file, "format", HDF5RootAttributes.format)
        try w.int(file, "format_version", HDF5RootAttributes.formatVersion)
        if let v = a.architecture { try w.string(file, "architecture", v) }
        if let v = a.N { try w.int(file, "N", v) }
        if let v = a.M { try w.int(file, "M", v) }
        for (k, v) in a.hyperparameters.sorted(by: { $0.key < $1.key }) where HDF5RootAttributes.reservedNames.contains(k) { try w.string(file, k, v) }
        if sha256, let v = a.sourceSHA256 { try w.string(file, "source_sha256", v) }
        if let v = a.sourceContainer { try w.string(file, "source_container", v) }
        try w.string(file, "producer", a.producer)
        for (k, v) in a.extra.sorted(by: { $0.key < $1.key }) where !HDF5RootAttributes.reservedNames.contains(k) {
            guard !k.utf8.contains(0), !v.utf8.contains(0) else {
                throw HDF5Error.badAttribute(path: "/", name: k, reason: "contains a NUL character")
            }
            try w.string(file, k, v)
        }
    }

    /// Creates one dataset with its attributes. A contiguous, non-empty dataset gets its space now
    /// and is returned as a placement for `RawDataWriter`; other datasets are written here.
    private static func writeDataset(_ parent: hid_t, name: String, path: String, key: String, tensor: Tensor, role: String?,
                                     compress: Bool, lcpl: hid_t, attrs: AttributeWriter) throws -> RawPlacement? {
        let type = try HDF5Types.create(tensor.dtype)
        defer { H5Tclose(type) }
        let rank = tensor.shape.count
        let dims = tensor.shape.map { hsize_t($0) }
        let space = rank == 0 ? H5Screate(H5S_SCALAR) : H5Screate_simple(Int32(rank), dims, nil)
        _ = try HDF5.id(space, "H5Screate \(path)")
        defer { H5Sclose(space) }
        let dcpl = try HDF5.id(H5Pcreate(chdf5_P_DATASET_CREATE()), "H5Pcreate")
        defer { H5Pclose(dcpl) }
        try HDF5.check(H5Pset_fill_time(dcpl, H5D_FILL_TIME_NEVER), "H5Pset_fill_time")
        let chunked = compress && rank > 0 && tensor.count > 0
        if chunked {
            let chunk = chunkShape(tensor.shape, itemSize: tensor.dtype.itemSize).map { hsize_t($0) }
            try HDF5.check(H5Pset_chunk(dcpl, Int32(rank), chunk), "H5Pset_chunk")
            try HDF5.check(H5Pset_shuffle(dcpl), "H5Pset_shuffle")
            try HDF5.check(H5Pset_deflate(dcpl, deflateLevel), "H5Pset_deflate")
        } else if tensor.count > 0 {
            try HDF5.check(H5Pset_alloc_time(dcpl, H5D_ALLOC_TIME_EARLY), "H5Pset_alloc_time")
        }
        let dset = try HDF5.id(H5Dcreate2(parent, name, type, space, lcpl, dcpl, chdf5_P_DEFAULT), "H5Dcreate2 /state_dict/\(path)")
        defer { H5Dclose(dset) }
        try attrs.string(dset, "key", key)
        try attrs.string(dset, "dtype", tensor.dtype.name)
        if let role { try attrs.string(dset, "role", role) }
        guard tensor.count > 0 else { return nil }
        if !chunked, let placement = rawPlacement(dset, tensor: tensor, path: path) { return placement }
        let bytes = tensor.contiguousBytes()
        try bytes.withUnsafeBytes { b in
            try HDF5.check(H5Dwrite(dset, type, chdf5_S_ALL, chdf5_S_ALL, chdf5_P_DEFAULT, b.baseAddress), "H5Dwrite /state_dict/\(path)")
        }
        return nil
    }

    /// Where a contiguous dataset's allocated raw data lies, when libhdf5 says it holds exactly
    /// the tensor's bytes; nil (the caller then uses `H5Dwrite`) otherwise.
    private static func rawPlacement(_ dset: hid_t, tensor: Tensor, path: String) -> RawPlacement? {
        let address = H5Dget_offset(dset)
        guard address != chdf5_HADDR_UNDEF(), let offset = Checked.int(UInt64(address)),
              H5Dget_storage_size(dset) == hsize_t(tensor.byteCount) else { return nil }
        return RawPlacement(address: offset, tensor: tensor, path: path)
    }

    /// Chunk dimensions of at most `chunkBytes`: the whole tensor, halving the leading dimensions as needed.
    package static func chunkShape(_ shape: [Int], itemSize: Int) -> [Int] {
        var chunk = shape.map { max($0, 1) }
        func bytes() -> Int { chunk.reduce(itemSize) { Checked.mul($0, $1) ?? Int.max } }
        var d = 0
        while bytes() > chunkBytes && d < chunk.count {
            if chunk[d] > 1 { chunk[d] = (chunk[d] + 1) / 2 } else { d += 1 }
        }
        return chunk
    }
}
