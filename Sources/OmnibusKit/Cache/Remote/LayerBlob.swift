import Archive
import Digest
import Foundation

/// The blob of one layer cache entry: a GNU tar of `layer.json` followed by `tree/` and every
/// entry of the layer in the record's (path) order, compressed with zstd. The same layer gives
/// the same bytes on any machine: only the record decides what goes in (never a directory
/// listing), owners are 0, times are `memberTime`, and files linked together on disk are one
/// file and hard links to it, so the restored entry takes no more room than the original.
enum LayerBlob {
    /// Restored entries are copied into the install dir, which takes new times anyway, and
    /// packages clamp times to the build epoch, so no time in the blob means anything.
    static let memberTime: Int64 = 0
    static let compression = ArchiveCompression(.zstd, level: 3)
    /// `layer.json` of a very large software (a hundred thousand files) is a few tens of MiB.
    static let maximumRecordSize: Int64 = 256 << 20

    struct Written: Sendable {
        let sha256: String
        let size: Int64
        let layer: Layer
    }

    /// Writes the blob of the local entry `<layers>/<key>` to `destination` (a new file), after
    /// checking that the entry still is what its `layer.json` says: a damaged entry is not shared.
    static func write(entry directory: String, key: String, to destination: String) throws(RemoteStop) -> Written {
        guard let data = FileManager.default.contents(atPath: directory + "/layer.json") else {
            throw .skipped(.noLocalEntry(key: key))
        }
        guard let layer = try? JSONDecoder().decode(Layer.self, from: data), layer.cacheKey == key else {
            throw .skipped(.localEntryUnusable("\(directory)/layer.json is not the record of layer \(key)"))
        }
        let tree = directory + "/tree"
        if let bad = layer.entries.first(where: { !LayerTreeCheck.isContained($0.path) }) {
            throw .skipped(.localEntryUnusable("its record lists the path '\(bad.path)', which leaves the tree"))
        }
        do {
            let listing = try TreeScanner.scan(tree, hashing: false)
            if let difference = LayerTreeCheck.difference(expected: layer.entries, actual: listing, contents: false) {
                throw RemoteStop.skipped(.localEntryUnusable("\(tree) changed since it was cached: \(difference)"))
            }
        } catch let stop as RemoteStop {
            throw stop
        } catch {
            throw .skipped(.localEntryUnusable("\(error)"))
        }

        let descriptor = open(destination, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o600)
        guard descriptor >= 0 else { throw .unavailable(.localIO(path: destination, reason: String(cString: strerror(errno)))) }
        let output = FileHandle(fileDescriptor: descriptor, closeOnDealloc: true)
        let digest: StreamingDigest
        do { digest = try StreamingDigest(.sha256) } catch { throw .unavailable(.localIO(path: destination, reason: "\(error)")) }
        var size: Int64 = 0
        do {
            let writer = try ArchiveWriter(format: .gnutar, compression: compression) { bytes in
                try output.write(contentsOf: Data(bytes))
                digest.update(bytes)
                size += Int64(bytes.count)
            }
            let record = try LayerRecord.encode(layer)
            try writer.writeHeader(member("layer.json", .file, 0o644, size: Int64(record.count)))
            try record.withUnsafeBytes { try writer.writeData($0) }
            try writer.writeHeader(member("tree", .directory, 0o755))
            try writeTree(layer, from: tree, to: writer)
            try writer.finish()
            try output.close()
        } catch let stop as RemoteStop {
            throw stop
        } catch {
            throw .unavailable(.localIO(path: destination, reason: "cannot write the blob: \(error)"))
        }
        return Written(sha256: Digests.hexString(digest.finalize()), size: size, layer: layer)
    }

    private static func writeTree(_ layer: Layer, from tree: String, to writer: ArchiveWriter) throws {
        var firstOfInode: [InodeID: Layer.Entry] = [:]
        for entry in layer.entries {
            let name = "tree/" + entry.path
            switch entry.kind {
            case .directory:
                try writer.writeHeader(member(name, .directory, entry.mode))
            case .symlink:
                try writer.writeHeader(member(name, .symlink(target: entry.target ?? ""), entry.mode))
            case .file:
                let path = tree + "/" + entry.path
                var info = stat()
                guard lstat(path, &info) == 0 else { throw unusable("cannot read \(path): \(String(cString: strerror(errno)))") }
                let inode = InodeID(device: UInt64(info.st_dev), inode: UInt64(info.st_ino))
                if info.st_nlink > 1, let first = firstOfInode[inode] {
                    guard first.sha256 == entry.sha256, first.size == entry.size else {
                        throw unusable("\(path) is a hard link to \(first.path), but the record gives them different contents")
                    }
                    try writer.writeHeader(member(name, .hardlink(target: "tree/" + first.path), entry.mode))
                    continue
                }
                if info.st_nlink > 1 { firstOfInode[inode] = entry }
                try writer.writeHeader(member(name, .file, entry.mode, size: entry.size ?? 0))
                try copy(path, expected: entry, into: writer)
            }
        }
    }

    /// Streams a file into the archive, hashing it on the way: what is uploaded is checked
    /// against the record as it is read, not before.
    private static func copy(_ path: String, expected entry: Layer.Entry, into writer: ArchiveWriter) throws {
        guard let input = FileHandle(forReadingAtPath: path) else { throw unusable("cannot read \(path)") }
        defer { try? input.close() }
        let digest = try StreamingDigest(.sha256)
        let size = entry.size ?? 0
        var copied: Int64 = 0
        while copied < size {
            let chunk = try input.read(upToCount: Int(min(1 << 20, size - copied))) ?? Data()
            if chunk.isEmpty { break }
            try chunk.withUnsafeBytes { raw in
                digest.update(raw)
                try writer.writeData(raw)
            }
            copied += Int64(chunk.count)
        }
        let longer = !(try input.read(upToCount: 1) ?? Data()).isEmpty
        guard copied == size, !longer, Digests.hexString(digest.finalize()) == entry.sha256 else {
            throw unusable("\(path) changed since it was cached (its size or SHA-256 is not the record's)")
        }
    }

    private static func member(_ path: String, _ kind: ArchiveWriteEntry.Kind, _ mode: UInt32, size: Int64 = 0) -> ArchiveWriteEntry {
        ArchiveWriteEntry(path: path, kind: kind, permissions: mode, size: size, modificationTime: memberTime)
    }

    private static func unusable(_ why: String) -> RemoteStop { .skipped(.localEntryUnusable(why)) }

    private struct InodeID: Hashable {
        let device: UInt64
        let inode: UInt64
    }
}
