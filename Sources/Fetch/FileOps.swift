import Digest
import Foundation

/// Small filesystem steps with errors as `FetchError`, so callers read as the procedure they are.
enum FileOps {
    static func errorText(_ code: Int32 = errno) -> String { String(cString: strerror(code)) }

    static func createDirectory(_ path: String) throws(FetchError) {
        do { try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true) } catch {
            throw .io(path: path, reason: "cannot create directory: \(error.localizedDescription)")
        }
    }

    /// Removes a file or a whole tree; a missing path is not an error.
    static func remove(_ path: String) {
        var info = stat()
        guard lstat(path, &info) == 0 else { return }
        try? FileManager.default.removeItem(atPath: path)
    }

    static func exists(_ path: String) -> Bool {
        var info = stat()
        return lstat(path, &info) == 0
    }

    /// True for a regular file, following symlinks (a mirror may hold links into a store).
    static func isRegularFile(_ path: String) -> Bool {
        var info = stat()
        return stat(path, &info) == 0 && (info.st_mode & S_IFMT) == S_IFREG
    }

    static func isDirectory(_ path: String) -> Bool {
        var info = stat()
        return stat(path, &info) == 0 && (info.st_mode & S_IFMT) == S_IFDIR
    }

    /// Atomic within one filesystem: readers see the old name absent or the complete file.
    static func rename(_ from: String, to: String) throws(FetchError) {
        guard Foundation.rename(from, to) == 0 else {
            throw .io(path: to, reason: "cannot rename \(from) to it: \(errorText())")
        }
    }

    /// A name beside `final` that no other writer uses, hidden so that it never looks finished.
    static func temporarySibling(of final: String) -> String {
        let url = URL(fileURLWithPath: final)
        return url.deletingLastPathComponent()
            .appendingPathComponent(".\(url.lastPathComponent).partial-\(UUID().uuidString)").path
    }

    static func copyFile(_ from: String, to: String) throws(FetchError) {
        do { try FileManager.default.copyItem(atPath: from, toPath: to) } catch {
            throw .io(path: from, reason: "cannot copy to \(to): \(error.localizedDescription)")
        }
    }

    /// Hard-links when both paths share a filesystem, copies otherwise; `to` appears atomically.
    static func linkOrCopy(_ from: String, to: String) throws(FetchError) {
        let temporary = temporarySibling(of: to)
        if link(from, temporary) != 0 { try copyFile(from, to: temporary) }
        do { try rename(temporary, to: to) } catch {
            remove(temporary)
            throw error
        }
    }

    /// A fresh private directory under `parent` (created if needed).
    static func makeTemporaryDirectory(in parent: String, prefix: String) throws(FetchError) -> String {
        try createDirectory(parent)
        var template = Array("\(parent)/\(prefix)XXXXXX".utf8CString)
        let made = template.withUnsafeMutableBufferPointer { mkdtemp($0.baseAddress!) }
        guard made != nil else { throw .io(path: parent, reason: "cannot create a temporary directory: \(errorText())") }
        return String(decoding: template.dropLast().map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }

    static func resolvedPath(_ path: String) throws(FetchError) -> String {
        guard let resolved = realpath(path, nil) else {
            throw .io(path: path, reason: "cannot resolve: \(errorText())")
        }
        defer { free(resolved) }
        return String(cString: resolved)
    }

    /// Names in a directory, sorted by their bytes so that walks are deterministic.
    static func sortedNames(in directory: String) throws(FetchError) -> [String] {
        do {
            return try FileManager.default.contentsOfDirectory(atPath: directory)
                .sorted { Array($0.utf8).lexicographicallyPrecedes(Array($1.utf8)) }
        } catch {
            throw .io(path: directory, reason: "cannot list directory: \(error.localizedDescription)")
        }
    }
}

extension Checksum {
    /// `verify(file:)` with a read failure reported as the fetch error it is.
    func check(file path: String) throws(FetchError) -> (matches: Bool, actual: String) {
        do { return try verify(file: path) } catch { throw .io(path: path, reason: error.description) }
    }
}
