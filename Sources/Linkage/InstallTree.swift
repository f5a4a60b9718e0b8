import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

/// The regular files under a directory, found with `readdir` (no per-file `stat` unless the file
/// system does not report the entry type). Symlinks are not followed: the file they point to is
/// checked where it lives, if it lives in the tree.
enum InstallTree {
    struct Listing {
        /// Paths relative to the root, sorted byte-wise.
        var files: [String] = []
        /// Directories that could not be read: (relative path, reason).
        var unreadable: [(String, String)] = []
    }

    static func regularFiles(under root: String) -> Listing {
        var listing = Listing()
        var pending = [""]
        while let relative = pending.popLast() {
            let absolute = relative.isEmpty ? root : root + "/" + relative
            guard let directory = opendir(absolute) else {
                listing.unreadable.append((relative.isEmpty ? "." : relative, String(cString: strerror(errno))))
                continue
            }
            defer { closedir(directory) }
            while let entry = readdir(directory) {
                let name = withUnsafePointer(to: entry.pointee.d_name) {
                    $0.withMemoryRebound(to: CChar.self, capacity: 256) { String(cString: $0) }
                }
                if name == "." || name == ".." { continue }
                let child = relative.isEmpty ? name : relative + "/" + name
                var type = Int32(entry.pointee.d_type)
                if type == Int32(DT_UNKNOWN) {
                    var info = stat()
                    guard lstat(root + "/" + child, &info) == 0 else { continue }
                    switch info.st_mode & S_IFMT {
                    case S_IFDIR: type = Int32(DT_DIR)
                    case S_IFREG: type = Int32(DT_REG)
                    default: continue
                    }
                }
                if type == Int32(DT_DIR) {
                    pending.append(child)
                } else if type == Int32(DT_REG) {
                    listing.files.append(child)
                }
            }
        }
        listing.files.sort { $0.utf8.lexicographicallyPrecedes($1.utf8) }
        listing.unreadable.sort { $0.0.utf8.lexicographicallyPrecedes($1.0.utf8) }
        return listing
    }
}
