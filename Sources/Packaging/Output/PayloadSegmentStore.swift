import Archive
import Digest
import Foundation
import Scratch
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

// Outside the type, where `rename` is not shadowed by `PayloadSegmentStore.rename`.
private func posixRename(_ source: String, _ destination: String) -> Int32 {
    rename(source, destination)
}

/// Compressed payload segments kept between runs (`<cache>/payload-segments/`), so a layer whose
/// files did not change is copied into the next package instead of compressed again.
///
/// An entry is two kinds of file named by its key (a digest of the segment's members, the
/// files' recorded digests, the compressions and the tool): `<key>.<stream>` (`tar-xz-6`,
/// `cpio-gzip-9`), the compressed bytes of each stream, and `<key>.json`, the record
/// (`Record`), written last.
/// Each is written under a temporary name and renamed, so a reader sees whole files; the record
/// holds the digest of each data file, so a data file from another write is noticed.
package struct PayloadSegmentStore: Sendable {
    package let directory: String
    /// The tool's identity (version and libraries): another encoder may give other bytes.
    package let toolIdentity: String
    /// Who stored an entry (the project), so one project's entries can be removed.
    package let owner: String

    package init(directory: String, toolIdentity: String, owner: String) {
        self.directory = directory
        self.toolIdentity = toolIdentity
        self.owner = owner
    }

    /// What a file was on disk when it was last read: while it still is, its bytes are trusted
    /// without reading them (any write changes the ctime).
    struct FileStat: Codable, Equatable {
        var device: UInt64
        var inode: UInt64
        var size: Int64
        var modified: [Int64]
        var changed: [Int64]

        init?(path: String) {
            var info = stat()
            guard lstat(path, &info) == 0 else { return nil }
            device = UInt64(info.st_dev)
            inode = UInt64(info.st_ino)
            size = Int64(info.st_size)
            modified = [Int64(info.st_mtim.tv_sec), Int64(info.st_mtim.tv_nsec)]
            changed = [Int64(info.st_ctim.tv_sec), Int64(info.st_ctim.tv_nsec)]
        }

        /// The stat to record for a file read now, or nil when it changed within the last second:
        /// a write in the same clock tick as the stat would leave the ctime as recorded, so such
        /// a file is hashed again next time instead of trusted (the rule the other stat records
        /// of the tool follow).
        static func settled(path: String) -> FileStat? {
            guard let stat = FileStat(path: path) else { return nil }
            var now = timespec()
            clock_gettime(CLOCK_REALTIME, &now)
            let latest = max(stat.changed[0] * 1_000_000_000 + stat.changed[1], stat.modified[0] * 1_000_000_000 + stat.modified[1])
            return Int64(now.tv_sec) * 1_000_000_000 + Int64(now.tv_nsec) - latest < 1_000_000_000 ? nil : stat
        }
    }

    struct Record: Codable {
        struct Stream: Codable {
            /// `tar-xz-6`: the archive, the algorithm and the level.
            var name: String
            var segment: CompressedSegment
            /// SHA-256 of the data file, hex.
            var sha256: String
        }

        /// A regular file of the segment (hard links carry no data) with its digests, hex.
        struct File: Codable {
            var path: String
            var sha256: String
            var md5: String
            var stat: FileStat?
        }

        var owner: String
        var streams: [Stream]
        var files: [File]
    }

    /// A stream's name: `tar-xz-6`, `cpio-gzip-9`.
    static func streamName(_ archive: String, _ compression: ArchiveCompression) -> String {
        "\(archive)-\(compression.algorithm.rawValue)-\(compression.level)"
    }

    func dataPath(_ key: String, _ stream: String) -> String {
        directory + "/" + key + "." + stream
    }

    func load(_ key: String) -> Record? {
        guard let data = FileManager.default.contents(atPath: directory + "/" + key + ".json") else { return nil }
        return try? JSONDecoder().decode(Record.self, from: data)
    }

    /// Stores the segment's bytes, copied from the compressed streams it was written into, then
    /// its record. A failure leaves no record, so the entry is simply missing next time.
    func save(_ key: String, files: [Record.File], streams: [(name: String, path: String, segment: CompressedSegment)]) throws {
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        var record = Record(owner: owner, streams: [], files: files)
        for stream in streams {
            let temporary = temporaryPath()
            defer { unlink(temporary) }
            guard let source = FileHandle(forReadingAtPath: stream.path) else {
                throw PackagingError.unreadable(path: stream.path, reason: "cannot open the compressed payload")
            }
            defer { try? source.close() }
            let sink = try FileSink(creating: temporary, digests: [.sha256])
            try FileRange.copy(source, from: UInt64(stream.segment.offset), count: UInt64(stream.segment.length),
                               source: stream.path, to: sink)
            let digest = try sink.finish()[0]
            try Self.rename(temporary, to: dataPath(key, stream.name))
            var segment = stream.segment
            segment.offset = 0
            record.streams.append(Record.Stream(name: stream.name, segment: segment, sha256: digest))
        }
        try write(record, key)
    }

    /// Rewrites the record (after the files' stats were refreshed).
    func write(_ record: Record, _ key: String) throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        let temporary = temporaryPath()
        defer { unlink(temporary) }
        guard FileManager.default.createFile(atPath: temporary, contents: try encoder.encode(record)) else {
            throw PackagingError.output(path: temporary, reason: "cannot write the payload segment record")
        }
        try Self.rename(temporary, to: directory + "/" + key + ".json")
    }

    /// The keys of the entries `owner` stored (all entries when nil), and their bytes.
    package func entries(of owner: String?) -> [(key: String, bytes: Int64)] {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? []
        var found: [(String, Int64)] = []
        for name in names.sorted() where name.hasSuffix(".json") && !name.hasPrefix(".") {
            let key = String(name.dropLast(5))
            if let owner, load(key)?.owner != owner { continue }
            let bytes = names.filter { $0.hasPrefix(key + ".") }.reduce(Int64(0)) { total, file in
                total + ((try? FileManager.default.attributesOfItem(atPath: directory + "/" + file)[.size] as? Int64) ?? 0)
            }
            found.append((key, bytes))
        }
        return found
    }

    /// Removes an entry (found damaged, or cleared).
    package func remove(_ key: String) {
        unlink(directory + "/" + key + ".json")
        let names = (try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? []
        for name in names where name.hasPrefix(key + ".") { unlink(directory + "/" + name) }
    }

    /// Temporaries carry their writer (`OwnedName`), so those of a killed run can be swept.
    private static let temporaryPrefix = ".partial-"

    private func temporaryPath() -> String {
        directory + "/" + OwnedName.make(prefix: Self.temporaryPrefix)
    }

    /// Removes the temporaries of runs that are gone.
    func sweepAbandoned() {
        AbandonedTemporaries.sweep(directory, prefix: Self.temporaryPrefix)
    }

    private static func rename(_ source: String, to destination: String) throws(PackagingError) {
        guard posixRename(source, destination) == 0 else {
            throw .output(path: destination, reason: String(cString: strerror(errno)))
        }
    }
}
