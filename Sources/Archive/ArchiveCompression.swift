#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A compression filter for `ArchiveWriter`, with settings chosen so that the output bytes depend
/// only on the algorithm and level, never on the machine that wrote them.
///
/// - gzip: the header carries no timestamp and no file name (libarchive's `!timestamp`), OS byte 3.
/// - xz: always liblzma's multi-threaded encoder with at least two threads. Measured with
///   libarchive 3.6.2 / liblzma 5.4.1: 2, 3 or 4 threads give identical bytes (blocks are cut at a
///   fixed size), but one thread switches libarchive to the single-threaded encoder, whose output
///   differs. So a machine with one CPU still asks for two threads.
/// - zstd: always at least one worker (`ZSTD_c_nbWorkers`). 1, 2, 3 or 4 workers give identical
///   bytes; 0 workers (single-threaded mode) gives different bytes.
package struct ArchiveCompression: Sendable, Equatable {
    package enum Algorithm: String, Sendable, CaseIterable, Codable {
        case gzip, xz, zstd

        /// Conventional file-name extension without the dot: `gz`, `xz`, `zst`.
        package var fileExtension: String {
            switch self {
            case .gzip: "gz"
            case .xz: "xz"
            case .zstd: "zst"
            }
        }

        /// The level `dpkg-deb` uses when none is given (gzip 9, xz 6, zstd 3).
        package var defaultLevel: Int {
            switch self {
            case .gzip: 9
            case .xz: 6
            case .zstd: 3
            }
        }

        /// Levels the underlying library accepts.
        package var levels: ClosedRange<Int> {
            switch self {
            case .gzip: 1...9
            case .xz: 0...9
            case .zstd: 1...22
            }
        }
    }

    package var algorithm: Algorithm
    package var level: Int
    /// Worker threads for xz and zstd (0: one per CPU). gzip ignores it. Never changes the bytes.
    package var threads: Int

    package init(_ algorithm: Algorithm, level: Int? = nil, threads: Int = 0) {
        self.algorithm = algorithm
        self.level = level ?? algorithm.defaultLevel
        self.threads = threads
    }

    /// The thread count actually handed to libarchive, following the rules above.
    var effectiveThreads: Int {
        let wanted = threads > 0 ? threads : Self.processorCount
        switch algorithm {
        case .gzip: return 1
        case .xz: return max(2, wanted)
        case .zstd: return max(1, wanted)
        }
    }

    static var processorCount: Int {
        let count = sysconf(Int32(_SC_NPROCESSORS_ONLN))
        return count > 0 ? count : 1
    }
}
