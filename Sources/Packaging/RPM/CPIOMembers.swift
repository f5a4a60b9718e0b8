import Archive
import Digest

/// rpm's cpio (newc) members, named `./<path>`, in the order rpm's installer needs.
///
/// Hard links are written the way rpmbuild writes them, because rpm's installer depends on it:
/// it creates the first member of a link set it meets, links every following member to it, and
/// forgets the set when the member carrying the data arrives. So the members of one set must be
/// adjacent in the payload, in header order, with the data on the last; a member of another set
/// in between would be linked to the wrong file. Entries without links come first, in header
/// order (`PayloadPass` writes them as it meets them), then each link set in the order of its
/// first member (`writeLinkSets`).
struct CPIOMembers {
    let contents: PackageContents

    /// Whether `entry` belongs to a link set, and so is written by `writeLinkSets`.
    func isLinked(_ entry: PackageEntry) -> Bool {
        entry.isRegular && entry.linkCount > 1
    }

    func header(for entry: PackageEntry, carriesData: Bool) throws(PackagingError) -> ArchiveWriteEntry {
        let name = "." + entry.path
        guard name.utf8.count <= RPMPayload.maximumNameBytes else {
            throw .unsupportedEntry(path: entry.path, reason: "the path is longer than the 4095 bytes rpm reads")
        }
        var member = ArchiveWriteEntry(path: name, kind: .directory, permissions: entry.permissions,
                                       modificationTime: entry.modificationTime,
                                       inode: Int64(entry.inode), linkCount: entry.linkCount)
        switch entry.kind {
        case .directory:
            break
        case .symlink(let target):
            member.kind = .symlink(target: target)
        case .file, .hardlink:
            guard entry.size <= Int64(UInt32.max) else {
                throw .unsupportedEntry(path: entry.path, reason: "files of 4 GiB or more do not fit rpm's cpio payload")
            }
            member.kind = .file
            member.size = carriesData ? entry.size : 0
        }
        return member
    }

    /// Every link set, its members adjacent and the data on the last; the file is read here
    /// (hashed into `digests` by inode when the pass has not hashed it yet).
    func writeLinkSets(to writer: ArchiveWriter, chunks: FileChunks, digests: inout [UInt32: String]) throws {
        var sets: [UInt32: [PackageEntry]] = [:]
        var order: [UInt32] = []
        for entry in contents.entries where isLinked(entry) {
            if sets[entry.inode] == nil { order.append(entry.inode) }
            sets[entry.inode, default: []].append(entry)
        }
        for inode in order {
            let members = sets[inode]!
            for (position, entry) in members.enumerated() {
                let carriesData = position == members.count - 1
                try writer.writeHeader(header(for: entry, carriesData: carriesData))
                guard carriesData else { continue }
                let hasher = digests[inode] == nil ? try StreamingDigest(.sha256) : nil
                try chunks.read(entry.sourcePath, expectedSize: entry.size) { chunk in
                    hasher?.update(chunk)
                    try writer.writeData(chunk)
                }
                if let hasher { digests[inode] = Digests.hexString(hasher.finalize()) }
            }
        }
    }
}
