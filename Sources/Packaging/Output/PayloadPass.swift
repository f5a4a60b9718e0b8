import Archive
import Digest

/// Writes every payload the formats of a run need in one pass over the contents: each file is
/// read once, in 1 MiB chunks, and each chunk goes to the data tar (once, whatever number of
/// compressions it has), to the cpio payload and to the digests. Each archive stream feeds
/// `BlockCompressor`s, which compress blocks on other threads, so the deb/tar stream and the rpm
/// payload are compressed at the same time while the files are read.
///
/// The one exception to a single read: a hard-linked file's data sits on the first member of
/// its set in tar but on the last in cpio, after members of other files (see `CPIOMembers`), so
/// rpm's copy of such a file is read a second time at the end rather than held in memory.
struct PayloadPass {
    let contents: PackageContents
    let epoch: Int64
    let needs: PayloadNeeds
    let directory: String

    func run() throws -> Payloads {
        var payloads = Payloads()
        let chunks = FileChunks()
        // The data tar, compressed once per distinct compression.
        var tarFiles: [(ArchiveCompression, FileSink, BlockCompressor)] = []
        for compression in needs.dataTar {
            let file = try FileSink(creating: directory + "/data-\(compression.algorithm.rawValue)-\(compression.level).tar",
                                    digests: [.sha256])
            tarFiles.append((compression, file, try BlockCompressor(compression) { try file.write($0) }))
        }
        let tar = tarFiles.isEmpty ? nil : try ArchiveWriter(format: .gnutar) { bytes in
            for (_, _, compressor) in tarFiles { try compressor.write(bytes) }
        }
        var cpioFile: FileSink?
        var cpio: (writer: ArchiveWriter, compressor: BlockCompressor)?
        if let compression = needs.cpio {
            let file = try FileSink(creating: directory + "/payload.cpio", digests: [.sha256])
            let compressor = try BlockCompressor(compression) { try file.write($0) }
            cpioFile = file
            cpio = (try ArchiveWriter(format: .cpioNewc) { try compressor.write($0) }, compressor)
        }
        let tarMembers = TarMembers(prefix: "./", includeParents: true, epoch: epoch)
        let cpioMembers = CPIOMembers(contents: contents)
        var md5OfPath: [String: String] = [:]
        var sha256OfInode: [UInt32: String] = [:]

        for member in tarMembers.members(of: contents) {
            guard let entry = member.entry else {
                try tar?.writeHeader(tarMembers.parentHeader(member.path))
                continue
            }
            try tar?.writeHeader(tarMembers.header(for: entry))
            let inCPIONow = cpio != nil && !cpioMembers.isLinked(entry)
            if inCPIONow { try cpio?.writer.writeHeader(cpioMembers.header(for: entry, carriesData: true)) }
            guard case .file = entry.kind else {
                if case .hardlink(let target) = entry.kind, needs.md5, let digest = md5OfPath[target] {
                    payloads.md5.append((entry.path, digest))
                }
                continue
            }
            // A linked file in a run without tar or md5 is read once, by `writeLinkSets`.
            if tar == nil && !inCPIONow && !needs.md5 { continue }
            // Only what someone reads is hashed.
            let md5 = needs.md5 ? try StreamingDigest(.md5) : nil
            let sha256 = needs.cpio != nil ? try StreamingDigest(.sha256) : nil
            try chunks.read(entry.sourcePath, expectedSize: entry.size) { chunk in
                md5?.update(chunk)
                sha256?.update(chunk)
                try tar?.writeData(chunk)
                if inCPIONow { try cpio?.writer.writeData(chunk) }
            }
            if let md5 {
                let hex = Digests.hexString(md5.finalize())
                md5OfPath[entry.path] = hex
                payloads.md5.append((entry.path, hex))
            }
            if let sha256 { sha256OfInode[entry.inode] = Digests.hexString(sha256.finalize()) }
        }
        if let tar {
            try tar.finish()
            for (compression, file, compressor) in tarFiles {
                try compressor.finish()
                let digest = try file.finish()[0]
                payloads.dataTar.append((compression, Payloads.File(path: file.path, size: file.byteCount,
                                                                     uncompressedSize: tar.uncompressedByteCount, sha256: digest)))
            }
        }
        if let cpio, let cpioFile {
            try cpioMembers.writeLinkSets(to: cpio.writer, chunks: chunks, digests: &sha256OfInode)
            try cpio.writer.finish()
            try cpio.compressor.finish()
            let digest = try cpioFile.finish()[0]
            payloads.cpio = Payloads.File(path: cpioFile.path, size: cpioFile.byteCount,
                                          uncompressedSize: cpio.writer.uncompressedByteCount, sha256: digest)
            for entry in contents.entries where entry.isRegular {
                payloads.sha256[entry.path] = sha256OfInode[entry.inode]
            }
        }
        return payloads
    }
}
