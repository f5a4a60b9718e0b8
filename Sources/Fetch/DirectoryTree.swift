import Digest
import Globbing
import Foundation

/// A local directory as a `path` source sees it: every entry except those named `.git` (at any
/// depth: repositories and submodules carry their history there, not their source) and those
/// the source's `exclude` patterns match. A pattern is a `Glob` matched against the whole path
/// relative to the root (the same language as a project's `exclude`: `*` and `?` stay within one
/// component, `**` crosses them); an excluded directory is skipped with everything below it.
///
/// The content hash is a SHA-256 over one record per entry, in byte order of the relative path:
/// `d NUL path NUL` for a directory, `f NUL path NUL x|- NUL sha256(content) NUL` for a file
/// (only the executable bit counts, as in git, so umask differences between checkouts do not
/// change the identity), and `l NUL path NUL target NUL` for a symlink (never followed).
enum DirectoryTree {
    enum Entry {
        case directory(String, mode: mode_t)
        case file(String, mode: mode_t)
        case symlink(String, target: String)
    }

    /// Entries in deterministic order (depth first, names in byte order), relative to `root`.
    static func entries(of root: String, exclude: [String] = []) throws(FetchError) -> [Entry] {
        guard FileOps.isDirectory(root) else {
            throw .pathSource(directory: root, reason: "not an existing directory")
        }
        var result: [Entry] = []
        do {
            try DirectoryWalker.walk(root, visit: { entry throws(FetchError) in
                if entry.path.split(separator: "/").last == ".git" || isExcluded(entry.path, by: exclude) { return false }
                guard let info = entry.status() else {
                    throw .pathSource(directory: root, reason: "cannot inspect \(entry.path): \(FileOps.errorText())")
                }
                switch entry.kind {
                case .directory: result.append(.directory(entry.path, mode: info.st_mode & 0o7777))
                case .file: result.append(.file(entry.path, mode: info.st_mode & 0o7777))
                case .symlink: result.append(.symlink(entry.path, target: try readLink(entry.absolute, root: root)))
                case .special:
                    throw .pathSource(directory: root, reason: "\(entry.path) is a special file (device, fifo or socket); "
                        + "a path source may hold only files, directories and symlinks")
                }
                return true
            }, unreadable: { relative, code throws(FetchError) in
                throw .io(path: relative.isEmpty ? root : "\(root)/\(relative)", reason: "cannot list directory: \(FileOps.errorText(code))")
            })
        } catch let error as FetchError {
            throw error
        } catch {
            throw .io(path: root, reason: "\(error)")
        }
        return result
    }

    static func isExcluded(_ path: String, by patterns: [String]) -> Bool {
        patterns.contains { Glob($0).matches(path) }
    }

    static func readLink(_ path: String, root: String) throws(FetchError) -> String {
        var buffer = [UInt8](repeating: 0, count: Int(PATH_MAX) + 1)
        let count = buffer.withUnsafeMutableBufferPointer { pointer in
            pointer.withMemoryRebound(to: CChar.self) { readlink(path, $0.baseAddress!, $0.count - 1) }
        }
        guard count >= 0 else {
            throw .pathSource(directory: root, reason: "cannot read symlink \(path): \(FileOps.errorText())")
        }
        return String(decoding: buffer.prefix(count), as: UTF8.self)
    }

    /// `tree-sha256:<hex>` of the directory's content.
    static func contentHash(of root: String, exclude: [String] = []) throws(FetchError) -> String {
        let digest: StreamingDigest
        do { digest = try StreamingDigest(.sha256) } catch { throw .io(path: root, reason: error.description) }
        func record(_ fields: [String]) {
            for field in fields { digest.update(Array(field.utf8) + [0]) }
        }
        for entry in try entries(of: root, exclude: exclude) {
            switch entry {
            case .directory(let path, _):
                record(["d", path])
            case .file(let path, let mode):
                let content: String
                do { content = try Digests.hex(.sha256, ofFile: "\(root)/\(path)") } catch {
                    throw .pathSource(directory: root, reason: error.description)
                }
                record(["f", path, mode & 0o111 != 0 ? "x" : "-", content])
            case .symlink(let path, let target):
                record(["l", path, target])
            }
        }
        return "tree-sha256:" + Digests.hexString(digest.finalize())
    }

    /// Copies the tree (without `.git` and the excluded paths) into `destination`, which must not
    /// exist yet. Files keep their permission bits and modification times, symlinks are copied
    /// as symlinks.
    static func copy(_ root: String, to destination: String, exclude: [String] = []) throws(FetchError) {
        guard !FileOps.exists(destination) else {
            throw .io(path: destination, reason: "already exists; a source is only copied into a new directory")
        }
        let entries = try entries(of: root, exclude: exclude)
        try FileOps.createDirectory(destination)
        // Directory modes are applied last: a read-only directory must still receive its files.
        var directoryModes: [(String, mode_t)] = []
        defer { for (path, mode) in directoryModes.reversed() { chmod(path, mode) } }
        for entry in entries {
            switch entry {
            case .directory(let path, let mode):
                try FileOps.createDirectory("\(destination)/\(path)")
                directoryModes.append(("\(destination)/\(path)", mode))
            case .file(let path, let mode):
                let target = "\(destination)/\(path)"
                try FileOps.copyFile("\(root)/\(path)", to: target)
                chmod(target, mode)
                try copyTimes(from: "\(root)/\(path)", to: target)
            case .symlink(let path, let target):
                guard symlink(target, "\(destination)/\(path)") == 0 else {
                    throw .io(path: "\(destination)/\(path)", reason: "cannot create symlink: \(FileOps.errorText())")
                }
            }
        }
    }

    private static func copyTimes(from source: String, to target: String) throws(FetchError) {
        var info = stat()
        guard stat(source, &info) == 0 else { return }
        #if canImport(Darwin)
        var times = [info.st_atimespec, info.st_mtimespec]
        #else
        var times = [info.st_atim, info.st_mtim]
        #endif
        guard utimensat(AT_FDCWD, target, &times, 0) == 0 else {
            throw .io(path: target, reason: "cannot set modification time: \(FileOps.errorText())")
        }
    }
}
