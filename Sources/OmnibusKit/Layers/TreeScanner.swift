import Digest
import Foundation
import Globbing

/// Lists a directory tree as layer entries, in path order (names in byte order), hashing file contents.
enum TreeScanner {
    struct Failure: Error, CustomStringConvertible {
        let description: String
    }

    /// - Parameter hashing: false skips content hashes (for quick before/after comparisons,
    ///   which use size and mtime instead).
    static func scan(_ root: String, hashing: Bool = true) throws(Failure) -> [Layer.Entry] {
        var entries: [Layer.Entry] = []
        do {
            try DirectoryWalker.walk(root, visit: { entry throws(Failure) in
                guard let info = entry.status() else { throw Failure(description: "cannot stat \(entry.absolute)") }
                let mode = UInt32(info.st_mode) & 0o7777
                switch entry.kind {
                case .directory:
                    entries.append(.init(path: entry.path, kind: .directory, mode: mode))
                case .symlink:
                    let target = (try? FileManager.default.destinationOfSymbolicLink(atPath: entry.absolute)) ?? ""
                    entries.append(.init(path: entry.path, kind: .symlink, mode: 0o777, target: target))
                case .file:
                    var digest: String?
                    if hashing {
                        do { digest = try Digests.hex(.sha256, ofFile: entry.absolute) } catch {
                            throw Failure(description: "\(error)")
                        }
                    } else {
                        digest = "mtime:\(info.st_mtim.tv_sec).\(info.st_mtim.tv_nsec):ino:\(info.st_ino)"
                    }
                    entries.append(.init(path: entry.path, kind: .file, mode: mode, size: Int64(info.st_size), sha256: digest))
                case .special:
                    throw Failure(description: "\(entry.absolute) is a device, socket or pipe; packages carry only files, directories and symlinks")
                }
                return true
            }, unreadable: { relative, code throws(Failure) in
                throw Failure(description: "cannot list \(relative.isEmpty ? root : root + "/" + relative): \(String(cString: strerror(code)))")
            })
        } catch let failure as Failure {
            throw failure
        } catch {
            throw Failure(description: "\(error)")
        }
        return entries
    }
}
