// TinifyCore: the process environment and machine facts, without Foundation.
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Process environment and machine facts without Foundation.
package enum Environment {
    /// The value of environment variable `name`.
    package static func value(_ name: String) -> String? { getenv(name).map { String(cString: $0) } }

    /// The number of online processors.
    package static var processorCount: Int { max(1, Int(sysconf(Int32(_SC_NPROCESSORS_ONLN)))) }

    /// The contents of a small text file (such as /proc/cpuinfo), at most `limit` bytes, or nil.
    package static func readText(_ path: String, limit: Int = 1 << 22) -> String? {
        guard let f = fopen(path, "r") else { return nil }
        defer { fclose(f) }
        var bytes: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 65536)
        while bytes.count < limit {
            let n = chunk.withUnsafeMutableBytes { fread($0.baseAddress, 1, $0.count, f) }
            if n <= 0 { break }
            bytes += chunk[0..<n]
        }
        return String(decoding: bytes, as: UTF8.self)
    }
}
