import Globbing
#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

/// What one search directory holds, read once per run. The loader opens `dir/name` in every
/// directory of a search path for every name; a file with thousands of names and an RPATH of
/// hundreds of directories made that millions of `open` calls (and as many remembered
/// answers). A listing answers "not there" for nearly all of them without a system call.
enum DirectoryListing: Sendable {
    /// Not a directory, or not reachable: the loader skips it.
    case missing
    /// A directory whose listing cannot stand in for `open` (it cannot be read, or it matches
    /// names regardless of case): each candidate in it is opened, as the loader does.
    case unlisted(FileID)
    /// Every name in the directory, `.` and `..` included (the loader can open those too).
    case names(FileID, Set<String>)

    var id: FileID? {
        switch self {
        case .missing: nil
        case .unlisted(let id), .names(let id, _): id
        }
    }

    /// The directory's identity, or nil when `path` is not a directory. An empty path is the
    /// working directory, as an empty search path element is for the loader.
    static func identity(of path: String) -> FileID? {
        var info = stat()
        guard stat(path.isEmpty ? "." : path, &info) == 0, (info.st_mode & S_IFMT) == S_IFDIR else { return nil }
        return FileID(device: UInt64(info.st_dev), inode: UInt64(info.st_ino))
    }

    /// Lists the directory `path` whose identity is `id`.
    static func read(_ path: String, id: FileID) -> DirectoryListing {
        let directory = path.isEmpty ? "." : path
        var names: Set<String> = [".", ".."]
        var readable = true
        DirectoryWalker.walk(directory, visit: { entry in
            names.insert(entry.path)
            return false
        }, unreadable: { _, _ in readable = false })
        guard readable, !matchesAnyCase(directory, names) else { return .unlisted(id) }
        return .names(id, names)
    }

    /// Whether the directory finds a name with its ASCII letters' case swapped (a case-folding
    /// file system, or an ext4 directory with `+F`), where `open` succeeds for names the
    /// listing does not hold.
    private static func matchesAnyCase(_ directory: String, _ names: Set<String>) -> Bool {
        func isLetter(_ byte: UInt8) -> Bool { (byte | 0x20) >= UInt8(ascii: "a") && (byte | 0x20) <= UInt8(ascii: "z") }
        guard let sample = names.first(where: { $0.utf8.contains(where: isLetter) }) else { return false }
        let swapped = String(decoding: sample.utf8.map { isLetter($0) ? $0 ^ 0x20 : $0 }, as: UTF8.self)
        var info = stat()
        return !names.contains(swapped) && lstat(directory + "/" + swapped, &info) == 0
    }
}
