import Foundation
import Globbing
#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

/// The regular files under a directory, found with the shared `DirectoryWalker` (no per-file
/// `stat` unless the file system does not report the entry type). Symlinks are not followed: the file they point to is
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
        DirectoryWalker.walk(root, visit: { entry in
            if entry.kind == .file { listing.files.append(entry.path) }
            return entry.kind == .directory
        }, unreadable: { relative, code in
            listing.unreadable.append((relative.isEmpty ? "." : relative, String(cString: strerror(code))))
        })
        // The walk is already in byte order per directory; whole paths sort differently ("a/b" vs "a-b").
        listing.files.sort { $0.utf8.lexicographicallyPrecedes($1.utf8) }
        listing.unreadable.sort { $0.0.utf8.lexicographicallyPrecedes($1.0.utf8) }
        return listing
    }
}
