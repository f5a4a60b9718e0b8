#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

/// The one walk of a directory tree: depth first, children in byte order of their names, with
/// the type `readdir` reports (an `lstat` only when the file system does not say, or when the
/// caller asks), symlinks never followed. Path sources, layers, package contents and the health
/// check all list trees through it; each decides what to skip and what an entry means.
package enum DirectoryWalker {
    package enum Kind: Sendable, Equatable {
        case directory, file, symlink
        /// A device, FIFO or socket.
        case special
    }

    package struct Entry {
        /// Relative to the root, `/`-separated; never empty.
        package let path: String
        /// The entry's name as bytes, for names that are not valid UTF-8.
        package let nameBytes: [UInt8]
        /// Whether `nameBytes` is valid UTF-8 (`path` decodes it with replacement characters otherwise).
        package let nameIsUTF8: Bool
        package let kind: Kind
        /// The absolute path.
        package let absolute: String

        /// `lstat` of the entry.
        package func status() -> stat? {
            var info = stat()
            return lstat(absolute, &info) == 0 ? info : nil
        }
    }

    /// Calls `visit` for every entry below `root` (not for `root` itself). For a directory,
    /// `visit` returns whether to descend into it. A directory that cannot be read is passed to
    /// `unreadable` with its relative path (`""` for the root) and `errno`.
    package static func walk(_ root: String, visit: (Entry) throws -> Bool,
                             unreadable: (String, Int32) throws -> Void) rethrows {
        try walk(root: root, relative: "", visit: visit, unreadable: unreadable)
    }

    private static func walk(root: String, relative: String, visit: (Entry) throws -> Bool,
                             unreadable: (String, Int32) throws -> Void) rethrows {
        let directory = relative.isEmpty ? root : root + "/" + relative
        guard let stream = opendir(directory) else {
            try unreadable(relative, errno)
            return
        }
        var children: [(name: [UInt8], type: UInt8)] = []
        while let entry = readdir(stream) {
            let name = withUnsafeBytes(of: entry.pointee.d_name) { Array($0.prefix { $0 != 0 }) }
            if name == [46] || name == [46, 46] { continue }
            children.append((name, entry.pointee.d_type))
        }
        closedir(stream)
        children.sort { $0.name.lexicographicallyPrecedes($1.name) }
        for child in children {
            let valid = String(validating: child.name, as: UTF8.self)
            let name = valid ?? String(decoding: child.name, as: UTF8.self)
            let path = relative.isEmpty ? name : relative + "/" + name
            let absolute = root + "/" + path
            guard let kind = kind(of: child.type, at: absolute) else { continue }
            let entry = Entry(path: path, nameBytes: child.name, nameIsUTF8: valid != nil, kind: kind, absolute: absolute)
            if try visit(entry), kind == .directory {
                try walk(root: root, relative: path, visit: visit, unreadable: unreadable)
            }
        }
    }

    /// The kind `readdir` reported, or `lstat`'s when it reported none; nil when the entry vanished.
    private static func kind(of type: UInt8, at path: String) -> Kind? {
        switch Int32(type) {
        case Int32(DT_DIR): return .directory
        case Int32(DT_REG): return .file
        case Int32(DT_LNK): return .symlink
        case Int32(DT_UNKNOWN):
            var info = stat()
            guard lstat(path, &info) == 0 else { return nil }
            switch info.st_mode & S_IFMT {
            case S_IFDIR: return .directory
            case S_IFREG: return .file
            case S_IFLNK: return .symlink
            default: return .special
            }
        default: return .special
        }
    }
}
