import Digest
import Foundation
import Globbing
#if canImport(Glibc)
import Glibc
#endif

/// What the last successful build left in the install dir: the ordered layer keys it merged and
/// a digest of an `lstat` survey of every entry below the install dir, taken once nothing more
/// was going to be written. A build whose layer keys are the same keeps the install dir as it
/// is when the survey still matches, instead of emptying it and merging every layer again.
///
/// Why a matching survey means the same bytes: each survey line holds an entry's path, type and
/// mode, size, device, inode, link count, mtime and ctime (and a symlink's target). Writing,
/// truncating, chmod, chown, linking or renaming a file sets its ctime to now, and ctime cannot
/// be set by a user; an added or removed entry adds or removes a line. An entry whose mtime or
/// ctime is within `racyWindow` of the survey could still be changed within the same clock tick
/// without its ctime moving (git's "racily clean" case), so such a file's content is hashed into
/// its line, at the survey and at every check. Not covered: a changed system clock, and writes to
/// the block device beneath the file system.
///
/// The file is removed before anything touches the install dir and written last, so after an
/// interrupted build there is none and the next build takes the full path.
struct InstallDirState: Codable, Equatable {
    struct Merged: Codable, Equatable {
        let software: String
        let key: String
    }

    /// The layers in build order, as they were merged.
    let layers: [Merged]
    /// When the survey began (seconds and nanoseconds since the epoch, the file-system clock).
    let surveyedSeconds: Int
    let surveyedNanoseconds: Int
    let entries: Int
    /// How many files were hashed because they were changed too close to the survey.
    let racy: Int
    let digest: String

    /// Timestamps within this of the survey are not trusted on their own: the file-system clock
    /// ticks in jiffies (at most 10 ms), so a second leaves a wide margin.
    static let racyWindowNanoseconds = 1_000_000_000

    struct Survey: Equatable {
        let entries: Int
        let racy: Int
        let digest: String
    }

    /// Surveys `installDir`; nil when it is missing or cannot be read completely.
    static func survey(_ installDir: String, since surveyed: timespec) -> Survey? {
        var root = stat()
        guard lstat(installDir, &root) == 0, UInt32(root.st_mode) & UInt32(S_IFMT) == UInt32(S_IFDIR),
              let hasher = try? StreamingDigest(.sha256) else { return nil }
        let threshold = Int64(surveyed.tv_sec) * 1_000_000_000 + Int64(surveyed.tv_nsec) - Int64(racyWindowNanoseconds)
        var count = 0
        var racy = 0
        var complete = true
        DirectoryWalker.walk(installDir, visit: { entry in
            guard let info = entry.status() else { complete = false; return false }
            count += 1
            let mtime = Int64(info.st_mtim.tv_sec) * 1_000_000_000 + Int64(info.st_mtim.tv_nsec)
            let ctime = Int64(info.st_ctim.tv_sec) * 1_000_000_000 + Int64(info.st_ctim.tv_nsec)
            var line = "\(info.st_mode) \(info.st_size) \(info.st_dev) \(info.st_ino) \(info.st_nlink) \(info.st_uid):\(info.st_gid) \(mtime) \(ctime)"
            switch entry.kind {
            case .symlink:
                line += " -> " + ((try? FileManager.default.destinationOfSymbolicLink(atPath: entry.absolute)) ?? "?")
            case .file where max(mtime, ctime) >= threshold:
                racy += 1
                guard let digest = try? Digests.hex(.sha256, ofFile: entry.absolute) else { complete = false; return false }
                line += " sha256:" + digest
            default:
                break
            }
            // The raw name bytes and a NUL: no path can contain one, so lines never run together.
            hasher.update(Array(entry.path.utf8) + [0] + entry.nameBytes + [0])
            hasher.update(Array((line + "\n").utf8))
            return entry.kind == .directory
        }, unreadable: { _, _ in complete = false })
        guard complete else { return nil }
        return Survey(entries: count, racy: racy, digest: Digests.hexString(hasher.finalize()))
    }

    /// The clock inodes are stamped from (their coarse version lags it by at most a tick, well
    /// inside `racyWindowNanoseconds`).
    static func now() -> timespec {
        var now = timespec()
        clock_gettime(CLOCK_REALTIME, &now)
        return now
    }

    /// Surveys the install dir now and describes it as the merge of `layers`.
    static func take(_ installDir: String, layers: [Merged]) -> InstallDirState? {
        let started = now()
        guard let survey = survey(installDir, since: started) else { return nil }
        return InstallDirState(layers: layers, surveyedSeconds: Int(started.tv_sec), surveyedNanoseconds: Int(started.tv_nsec),
                               entries: survey.entries, racy: survey.racy, digest: survey.digest)
    }

    /// Whether `installDir` is still exactly what this record describes.
    func matches(_ installDir: String) -> Bool {
        let surveyed = timespec(tv_sec: surveyedSeconds, tv_nsec: surveyedNanoseconds)
        return Self.survey(installDir, since: surveyed) == Survey(entries: entries, racy: racy, digest: digest)
    }

    static func load(_ path: String) -> InstallDirState? {
        FileManager.default.contents(atPath: path).flatMap { try? JSONDecoder().decode(InstallDirState.self, from: $0) }
    }

    /// Written under a temporary name and renamed, so a reader never sees half a record.
    func write(to path: String) throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        let temporary = path + ".incoming"
        try (encoder.encode(self) + Data("\n".utf8)).write(to: URL(fileURLWithPath: temporary))
        guard rename(temporary, path) == 0 else {
            throw CocoaError(.fileWriteUnknown, userInfo: [NSFilePathErrorKey: path])
        }
    }

    /// Before the install dir is modified: from here until the next record, no build may keep it.
    static func discard(_ path: String) throws {
        if unlink(path) != 0 && errno != ENOENT {
            throw CocoaError(.fileWriteNoPermission, userInfo: [NSFilePathErrorKey: path])
        }
    }
}
