// TinifyHDF5: calling libhdf5: silencing its stderr error printing, turning failed calls into
// `HDF5Error.library` with the innermost message of the error stack, and closing ids.
import CHDF5
import CLazyLibraries
import TinifyCore

/// Helpers around libhdf5 calls.
enum HDF5 {
    /// Stops libhdf5 printing error stacks to stderr (per thread; called by every entry point).
    static func quiet() {
        H5Eset_auto2(chdf5_E_DEFAULT, nil, nil)
    }

    /// Loads libhdf5 (on first use: `tinify` starts without it) and silences its error printing.
    static func start() throws {
        if let reason = LazyLibrary.failure(of: clazy_load_hdf5) {
            throw HDF5Error.library(operation: "load libhdf5", message: reason)
        }
        quiet()
    }

    /// The innermost description on the current thread's error stack.
    static func lastMessage() -> String {
        final class Box { var messages: [String] = [] }
        let box = Box()
        let ctx = Unmanaged.passUnretained(box).toOpaque()
        _ = H5Ewalk2(chdf5_E_DEFAULT, H5E_WALK_DOWNWARD, { _, desc, data in
            guard let desc, let data else { return 0 }
            let b = Unmanaged<Box>.fromOpaque(data).takeUnretainedValue()
            if let d = desc.pointee.desc { b.messages.append(String(cString: d)) }
            return 0
        }, ctx)
        return withExtendedLifetime(box) { box.messages.last ?? "" }
    }

    /// The error for a failed call.
    static func failure(_ operation: String) -> HDF5Error {
        .library(operation: operation, message: lastMessage())
    }

    /// Throws unless `status` is non-negative.
    static func check(_ status: herr_t, _ operation: @autoclosure () -> String) throws {
        if status < 0 { throw failure(operation()) }
    }

    /// Returns `id` or throws when it is negative.
    static func id(_ id: hid_t, _ operation: @autoclosure () -> String) throws -> hid_t {
        if id < 0 { throw failure(operation()) }
        return id
    }

    /// Converts a Swift string to a C string for a name; names with NUL cannot be passed.
    static func cName(_ s: String) -> [CChar] { Array(s.utf8CString) }
}
