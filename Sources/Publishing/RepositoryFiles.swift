import Digest
import Foundation
import Scratch

/// File operations shared by both repository kinds. Every file is written under a temporary
/// name and renamed into place, so a reader (apt, dnf, a sync to a static host) never sees half
/// a file; callers write indexes before the files that reference them.
enum RepositoryFiles {
    static func write(_ bytes: [UInt8], to path: String) throws(PublishError) {
        try write(Data(bytes), to: path)
    }

    static func write(_ data: Data, to path: String) throws(PublishError) {
        let directory = (path as NSString).deletingLastPathComponent
        let temporary = directory + "/" + OwnedName.make(prefix: ".omnibus-publish-")
        do {
            try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
            try data.write(to: URL(fileURLWithPath: temporary))
            guard rename(temporary, path) == 0 else { throw POSIXError(POSIXErrorCode(rawValue: errno) ?? .EIO) }
        } catch {
            try? FileManager.default.removeItem(atPath: temporary)
            throw .write(path: path, reason: "\(error.localizedDescription)")
        }
    }

    /// Copies a package into the repository; its modification time is set to `time` so that a
    /// tool indexing by file time (createrepo's `time file`) agrees with our indexes.
    static func copy(_ source: String, to path: String, modificationTime time: Int64) throws(PublishError) {
        let directory = (path as NSString).deletingLastPathComponent
        let temporary = directory + "/" + OwnedName.make(prefix: ".omnibus-publish-")
        do {
            try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
            try FileManager.default.copyItem(atPath: source, toPath: temporary)
            chmod(temporary, 0o644)
            var times = [timespec(tv_sec: Int(time), tv_nsec: 0), timespec(tv_sec: Int(time), tv_nsec: 0)]
            guard utimensat(AT_FDCWD, temporary, &times, 0) == 0, rename(temporary, path) == 0 else {
                throw POSIXError(POSIXErrorCode(rawValue: errno) ?? .EIO)
            }
        } catch {
            try? FileManager.default.removeItem(atPath: temporary)
            throw .write(path: path, reason: "\(error.localizedDescription)")
        }
    }

    static func remove(_ path: String) throws(PublishError) {
        guard FileManager.default.fileExists(atPath: path) else { return }
        do { try FileManager.default.removeItem(atPath: path) } catch {
            throw .write(path: path, reason: "cannot remove it: \(error.localizedDescription)")
        }
    }

    static func sameBytes(_ first: String, _ second: String) -> Bool {
        guard let one = try? Digests.hex(.sha256, ofFile: first), let two = try? Digests.hex(.sha256, ofFile: second) else { return false }
        return one == two
    }

    static func digests(ofFile path: String, _ algorithms: [DigestAlgorithm]) throws(PublishError) -> [DigestAlgorithm: String] {
        do { return try Digests.hex(algorithms, ofFile: path) } catch {
            throw .unreadablePackage(path: path, reason: error.description)
        }
    }

    static func size(of path: String) -> Int64 {
        ((try? FileManager.default.attributesOfItem(atPath: path))?[.size] as? NSNumber)?.int64Value ?? 0
    }
}
