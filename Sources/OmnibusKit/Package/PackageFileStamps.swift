import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// `<entry>/stamps.json`: the device, inode, size, mtime and ctime of each file of a package
/// cache entry, recorded right after every file was hashed against `entry.json`, so the next
/// restore hashes nothing while every file still has that stat.
///
/// Why the stat is enough for what the file system can do: any write, truncation, chmod, new
/// link or rename of a file sets its ctime to now, ctime cannot be set by a user, and a file put
/// in its place is another inode. Restores never touch a file that is already in place
/// (`PackageCache.put`), so a stamp stays valid across no-op rebuilds. A file whose ctime is
/// within a second of the hash is not stamped (it could still change within the same clock tick
/// without its ctime moving), and then the next restore hashes again. Not covered: bytes that
/// change beneath the file system (a failing disk); `omnibus cache verify` hashes every file.
struct PackageFileStamps {
    let entry: String

    private struct Stamp: Codable, Equatable {
        let device: UInt64
        let inode: UInt64
        let size: Int64
        let mtime: Int64
        let ctime: Int64
    }

    private var path: String { entry + "/stamps.json" }

    /// Whether every one of `names` has the stamp recorded for it.
    func unchanged(_ names: [String]) -> Bool {
        guard let data = FileManager.default.contents(atPath: path),
              let recorded = try? JSONDecoder().decode([String: Stamp].self, from: data), recorded.count == names.count else { return false }
        return names.allSatisfy { name in recorded[name] != nil && recorded[name] == stamp(name) }
    }

    /// Stamps `names`, just hashed; nothing when one of them changed too recently to be trusted.
    func record(_ names: [String]) {
        var now = timespec()
        clock_gettime(CLOCK_REALTIME, &now)
        let limit = Int64(now.tv_sec) * 1_000_000_000 + Int64(now.tv_nsec) - 1_000_000_000
        var stamps: [String: Stamp] = [:]
        for name in names {
            guard let stamp = stamp(name), stamp.ctime < limit, stamp.mtime < limit else { return }
            stamps[name] = stamp
        }
        guard let data = try? JSONEncoder().encode(stamps) else { return }
        let temporary = path + ".\(getpid()).incoming"
        if (try? data.write(to: URL(fileURLWithPath: temporary))) == nil || rename(temporary, path) != 0 { unlink(temporary) }
    }

    private func stamp(_ name: String) -> Stamp? {
        var info = stat()
        guard lstat(entry + "/" + name, &info) == 0 else { return nil }
        return Stamp(device: UInt64(info.st_dev), inode: UInt64(info.st_ino), size: Int64(info.st_size),
                     mtime: Int64(info.st_mtim.tv_sec) * 1_000_000_000 + Int64(info.st_mtim.tv_nsec),
                     ctime: Int64(info.st_ctim.tv_sec) * 1_000_000_000 + Int64(info.st_ctim.tv_nsec))
    }
}
