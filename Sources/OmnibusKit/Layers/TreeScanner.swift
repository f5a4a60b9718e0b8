import Digest
import Foundation

/// Lists a directory tree as layer entries, in path order, hashing file contents.
enum TreeScanner {
    struct Failure: Error, CustomStringConvertible {
        let description: String
    }

    /// - Parameter hashing: false skips content hashes (for quick before/after comparisons,
    ///   which use size and mtime instead).
    static func scan(_ root: String, hashing: Bool = true) throws(Failure) -> [Layer.Entry] {
        var entries: [Layer.Entry] = []
        try walk(root, relative: "", hashing: hashing, into: &entries)
        return entries
    }

    private static func walk(_ root: String, relative: String, hashing: Bool, into entries: inout [Layer.Entry]) throws(Failure) {
        let dir = relative.isEmpty ? root : root + "/" + relative
        let names: [String]
        do { names = try FileManager.default.contentsOfDirectory(atPath: dir).sorted() } catch {
            throw Failure(description: "cannot list \(dir): \(error.localizedDescription)")
        }
        for name in names {
            let path = relative.isEmpty ? name : relative + "/" + name
            let full = root + "/" + path
            var info = stat()
            guard lstat(full, &info) == 0 else { throw Failure(description: "cannot stat \(full)") }
            let mode = UInt32(info.st_mode) & 0o7777
            switch UInt32(info.st_mode) & UInt32(S_IFMT) {
            case UInt32(S_IFDIR):
                entries.append(.init(path: path, kind: .directory, mode: mode))
                try walk(root, relative: path, hashing: hashing, into: &entries)
            case UInt32(S_IFLNK):
                let target = (try? FileManager.default.destinationOfSymbolicLink(atPath: full)) ?? ""
                entries.append(.init(path: path, kind: .symlink, mode: 0o777, target: target))
            case UInt32(S_IFREG):
                var digest: String?
                if hashing {
                    do { digest = try Digests.hex(.sha256, ofFile: full) } catch {
                        throw Failure(description: error.description)
                    }
                } else {
                    digest = "mtime:\(info.st_mtim.tv_sec).\(info.st_mtim.tv_nsec):ino:\(info.st_ino)"
                }
                entries.append(.init(path: path, kind: .file, mode: mode, size: Int64(info.st_size), sha256: digest))
            default:
                throw Failure(description: "\(full) is a device, socket or pipe; packages carry only files, directories and symlinks")
            }
        }
    }
}
