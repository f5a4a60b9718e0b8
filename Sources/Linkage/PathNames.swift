import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

/// Path arithmetic on strings, the way the loader does it (no symlink resolution unless asked).
enum PathNames {
    static let currentDirectory: String = FileManager.default.currentDirectoryPath

    static func absolute(_ path: String) -> String {
        path.hasPrefix("/") ? path : currentDirectory + "/" + path
    }

    /// The directory part, as `_dl_new_object` computes an origin: "/a/b/c" -> "/a/b", "/c" -> "/".
    static func directory(of path: String) -> String {
        let absolute = absolute(path)
        guard let slash = absolute.utf8.lastIndex(of: UInt8(ascii: "/")) else { return "/" }
        return slash == absolute.startIndex ? "/" : String(absolute[..<slash])
    }

    static func lastComponent(_ path: String) -> String {
        let utf8 = path.utf8
        guard let slash = utf8.lastIndex(of: UInt8(ascii: "/")) else { return path }
        return String(path[utf8.index(after: slash)...])
    }

    /// `.` and `..` and repeated slashes removed without touching the file system.
    static func lexicallyNormalized(_ path: String) -> String {
        var parts: [Substring] = []
        for part in absolute(path).split(separator: "/") {
            if part == "." { continue }
            if part == ".." { if !parts.isEmpty { parts.removeLast() }; continue }
            parts.append(part)
        }
        return "/" + parts.joined(separator: "/")
    }

    /// The canonical path with every symlink resolved, or nil when it does not exist.
    static func realPath(_ path: String) -> String? {
        guard let resolved = realpath(path, nil) else { return nil }
        defer { free(resolved) }
        return String(cString: resolved)
    }

    /// Whether `path` is `root` or below it; both must be canonical absolute paths.
    static func isInside(_ path: String, root: String) -> Bool {
        if root == "/" { return path.hasPrefix("/") }
        return path == root || path.hasPrefix(root + "/")
    }
}
