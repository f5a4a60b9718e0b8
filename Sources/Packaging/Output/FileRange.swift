import Foundation

/// Copies parts of a written package in bounded chunks, for signing: signers take whole files,
/// and a format signs ranges of its package (rpm: header; header and payload) or members of it.
enum FileRange {
    static let chunkSize = 1 << 20

    /// Copies `count` bytes (nil: to the end) of `file`, from `offset`, into a new file at `path`.
    static func copy(_ file: FileHandle, from offset: UInt64, count: UInt64?, source: String,
                     to path: String) throws {
        let sink = try FileSink(creating: path)
        try copy(file, from: offset, count: count, source: source, to: sink)
        _ = try sink.finish()
    }

    /// Copies `count` bytes (nil: to the end) of `file`, from `offset`, to `sink`.
    static func copy(_ file: FileHandle, from offset: UInt64, count: UInt64?, source: String,
                     to sink: any PackageSink) throws {
        do { try file.seek(toOffset: offset) } catch {
            throw PackagingError.unreadable(path: source, reason: error.localizedDescription)
        }
        var remaining = count ?? UInt64.max
        while remaining > 0 {
            let wanted = Int(min(remaining, UInt64(chunkSize)))
            let data: Data
            do { data = try file.read(upToCount: wanted) ?? Data() } catch {
                throw PackagingError.unreadable(path: source, reason: error.localizedDescription)
            }
            if data.isEmpty {
                guard count == nil else { throw PackagingError.changedWhilePackaging(path: source) }
                return
            }
            try data.withUnsafeBytes { try sink.write($0) }
            remaining -= UInt64(data.count)
        }
    }

    /// Exactly `count` bytes of `file` from `offset`; a shorter file is an error.
    static func read(_ file: FileHandle, at offset: UInt64, count: Int, path: String) throws(PackagingError) -> [UInt8] {
        do {
            try file.seek(toOffset: offset)
            let data = try file.read(upToCount: count) ?? Data()
            guard data.count == count else { throw PackagingError.unreadable(path: path, reason: "the file ends early") }
            return [UInt8](data)
        } catch let error as PackagingError {
            throw error
        } catch {
            throw .unreadable(path: path, reason: error.localizedDescription)
        }
    }

    /// Appends the whole file at `path` to `sink`.
    static func append(_ path: String, to sink: any PackageSink) throws {
        guard let file = FileHandle(forReadingAtPath: path) else {
            throw PackagingError.unreadable(path: path, reason: "cannot open it")
        }
        defer { try? file.close() }
        try copy(file, from: 0, count: nil, source: path, to: sink)
    }
}
