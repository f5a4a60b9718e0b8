import Digest
import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// The omnibus executable's SHA-256, remembered in `<cache>/tool-digest.json` with the
/// executable's path, device, inode, size, mtime and ctime, so a build does not hash a binary
/// of tens of megabytes that has not changed since the last one.
///
/// Why the stat is enough: installing a new binary either writes a new inode (cp to a temporary
/// and rename, `swift build`, `install`) or writes into the old one, which sets its mtime and
/// ctime to now; ctime cannot be set by a user. A binary whose ctime is within a second of the
/// hash is not recorded (it could still be changing in the same clock tick). The record is as
/// trusted as the rest of the cache: whoever can write the cache dir can already replace layers.
enum ToolDigestRecord {
    private struct Record: Codable, Equatable {
        let path: String
        let device: UInt64
        let inode: UInt64
        let size: Int64
        let mtime: Int64
        let ctime: Int64
        var digest: String
    }

    /// The executable's digest: the recorded one while its stat is unchanged, else hashed now
    /// (and recorded). Nil only when the executable cannot be read.
    static func digest(of executable: String, cacheDir: String) -> String? {
        let path = cacheDir + "/tool-digest.json"
        guard let current = stamp(executable) else { return nil }
        if let data = FileManager.default.contents(atPath: path), let recorded = try? JSONDecoder().decode(Record.self, from: data),
           recorded == Record(path: current.path, device: current.device, inode: current.inode, size: current.size,
                              mtime: current.mtime, ctime: current.ctime, digest: recorded.digest) {
            return recorded.digest
        }
        guard let digest = try? Digests.hex(.sha256, ofFile: executable) else { return nil }
        // Stamped before and after hashing: a binary replaced meanwhile is not recorded.
        guard stamp(executable) == current else { return digest }
        var record = current
        record.digest = digest
        var now = timespec()
        clock_gettime(CLOCK_REALTIME, &now)
        if Int64(now.tv_sec) * 1_000_000_000 + Int64(now.tv_nsec) - record.ctime > 1_000_000_000,
           let data = try? JSONEncoder().encode(record) {
            let temporary = path + ".\(getpid()).incoming"
            if (try? FileManager.default.createDirectory(atPath: cacheDir, withIntermediateDirectories: true)) != nil,
               (try? data.write(to: URL(fileURLWithPath: temporary))) != nil, rename(temporary, path) != 0 {
                unlink(temporary)
            }
        }
        return digest
    }

    private static func stamp(_ executable: String) -> Record? {
        var info = stat()
        guard stat(executable, &info) == 0 else { return nil }
        return Record(path: executable, device: UInt64(info.st_dev), inode: UInt64(info.st_ino), size: Int64(info.st_size),
                      mtime: Int64(info.st_mtim.tv_sec) * 1_000_000_000 + Int64(info.st_mtim.tv_nsec),
                      ctime: Int64(info.st_ctim.tv_sec) * 1_000_000_000 + Int64(info.st_ctim.tv_nsec), digest: "")
    }
}
