import Archive
import Digest

/// The rpm payload: a cpio (newc) archive of every entry, named `./<path>`, compressed into a
/// temporary file. The file digests for the header come from the same single read of each file,
/// the payload digest from the compressed bytes as they are written.
///
/// Hard links are written the way rpmbuild writes them, because rpm's installer depends on it:
/// it creates the first member of a link set it meets, links every following member to it, and
/// forgets the set when the member carrying the data arrives. So the members of one set must be
/// adjacent in the payload, in header order, with the data on the last; a member of another set
/// in between would be linked to the wrong file. Entries without links come first, in header
/// order, then each link set in the order of its first member.
struct RPMPayload {
    var compressedSize: Int64
    var uncompressedSize: Int64
    /// SHA-256 of the compressed payload, hex.
    var sha256: String
    /// SHA-256 of each regular file (hard links included), hex, by install path.
    var fileDigests: [String: String]

    /// rpm reads member names of up to 4096 bytes, NUL included.
    static let maximumNameBytes = 4095

    /// What rpm's cpio payload cannot carry, found before any package is written.
    static func check(_ contents: PackageContents) throws(PackagingError) {
        for entry in contents.entries {
            guard ("." + entry.path).utf8.count <= maximumNameBytes else {
                throw .unsupportedEntry(path: entry.path, reason: "the path is longer than the 4095 bytes rpm reads")
            }
            guard !entry.isRegular || entry.size <= Int64(UInt32.max) else {
                throw .unsupportedEntry(path: entry.path, reason: "files of 4 GiB or more do not fit rpm's cpio payload; drop rpm from package.formats or exclude the file")
            }
        }
    }

    static func write(_ contents: PackageContents, compression: ArchiveCompression, to path: String) throws -> RPMPayload {
        let file = try FileSink(creating: path, digests: [.sha256])
        let writer = try ArchiveWriter(format: .cpioNewc, compression: compression) { try file.write($0) }
        let chunks = FileChunks()
        var lastLink: [UInt32: Int] = [:]
        var linkSets: [UInt32: [Int]] = [:]
        for (index, entry) in contents.entries.enumerated() where entry.isRegular && entry.linkCount > 1 {
            lastLink[entry.inode] = index
            linkSets[entry.inode, default: []].append(index)
        }
        var order = contents.entries.indices.filter { !(contents.entries[$0].isRegular && contents.entries[$0].linkCount > 1) }
        var written = Set<UInt32>()
        for entry in contents.entries where entry.isRegular && entry.linkCount > 1 {
            if written.insert(entry.inode).inserted { order += linkSets[entry.inode]! }
        }
        var digests: [String: String] = [:]
        var digestOfInode: [UInt32: String] = [:]
        for index in order {
            let entry = contents.entries[index]
            let name = "." + entry.path
            guard name.utf8.count <= maximumNameBytes else {
                throw PackagingError.unsupportedEntry(path: entry.path, reason: "the path is longer than the 4095 bytes rpm reads")
            }
            var member = ArchiveWriteEntry(path: name, kind: .directory, permissions: entry.permissions,
                                           modificationTime: entry.modificationTime,
                                           inode: Int64(entry.inode), linkCount: entry.linkCount)
            switch entry.kind {
            case .directory:
                try writer.writeHeader(member)
            case .symlink(let target):
                member.kind = .symlink(target: target)
                try writer.writeHeader(member)
            case .file, .hardlink:
                guard entry.size <= Int64(UInt32.max) else {
                    throw PackagingError.unsupportedEntry(path: entry.path, reason: "files of 4 GiB or more do not fit rpm's cpio payload")
                }
                let carriesData = entry.linkCount == 1 || lastLink[entry.inode] == index
                member.kind = .file
                member.size = carriesData ? entry.size : 0
                try writer.writeHeader(member)
                if carriesData {
                    let hasher = try StreamingDigest(.sha256)
                    try chunks.read(entry.sourcePath, expectedSize: entry.size) { chunk in
                        hasher.update(chunk)
                        try writer.writeData(chunk)
                    }
                    digestOfInode[entry.inode] = Digests.hexString(hasher.finalize())
                }
            }
        }
        try writer.finish()
        let sha256 = try file.finish()[0]
        for entry in contents.entries where entry.isRegular {
            digests[entry.path] = digestOfInode[entry.inode]
        }
        return RPMPayload(compressedSize: file.byteCount, uncompressedSize: writer.uncompressedByteCount,
                          sha256: sha256, fileDigests: digests)
    }
}
