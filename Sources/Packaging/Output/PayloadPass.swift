import Archive
import Digest

/// Writes every payload the formats of a run need in one pass over the contents: each file is
/// read once, in 1 MiB chunks, and each chunk goes to the data tar (once, whatever number of
/// compressions it has), to the cpio payload and to the digests. Each archive stream feeds
/// `BlockCompressor`s, which compress blocks on other threads, so the deb/tar stream and the rpm
/// payload are compressed at the same time while the files are read.
///
/// With `layers`, both archives are written layer after layer (`PayloadLayers`), and their gzip
/// or xz streams end a block at each layer boundary, so a layer's compressed bytes depend on that
/// layer alone (and, in cpio, on the inode numbers of its entries). With a `store`, a layer whose
/// segment is kept and whose files are unchanged is copied from it, tar and cpio, instead of
/// read and compressed; the bytes are the same either way.
///
/// The one exception to a single read: a hard-linked file's data sits on the first member of
/// its set in tar but on the last in cpio, after members of other files (see `CPIOMembers`), so
/// rpm's copy of such a file is read a second time at the end rather than held in memory.
struct PayloadPass {
    let contents: PackageContents
    let epoch: Int64
    let needs: PayloadNeeds
    let directory: String
    var layers = PayloadLayers([])
    var store: PayloadSegmentStore?

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
        // Cut at layer boundaries whenever there are layers (not only when a store is at hand), so
        // the bytes never depend on the cache; zstd's one frame cannot be cut.
        let layered = !layers.layers.isEmpty
        let cutsTar = layered && !tarFiles.isEmpty && needs.dataTar.allSatisfy { $0.algorithm != .zstd }
        let cutsCPIO = layered && needs.cpio.map { $0.algorithm != .zstd } ?? false
        // A layer is kept only when every stream of the run is cut.
        let keeps = (cutsTar || cutsCPIO) && (tarFiles.isEmpty || cutsTar) && (needs.cpio == nil || cutsCPIO)
        let store = keeps ? store : nil
        let cutter = SegmentCutter(compressors: tarFiles.map(\.2))
        let tar = tarFiles.isEmpty ? nil : try ArchiveWriter(format: .gnutar) { try cutter.write($0) }
        var cpioFile: FileSink?
        var cpio: (writer: ArchiveWriter, compressor: BlockCompressor, cutter: SegmentCutter)?
        if let compression = needs.cpio {
            let file = try FileSink(creating: directory + "/payload.cpio", digests: [.sha256])
            let compressor = try BlockCompressor(compression) { try file.write($0) }
            let cpioCutter = SegmentCutter(compressors: [compressor])
            cpioFile = file
            cpio = (try ArchiveWriter(format: .cpioNewc) { try cpioCutter.write($0) }, compressor, cpioCutter)
        }
        let tarMembers = TarMembers(prefix: "./", includeParents: true, epoch: epoch)
        let cpioMembers = CPIOMembers(contents: contents)
        var md5OfPath: [String: String] = [:]
        var sha256OfInode: [UInt32: String] = [:]
        var toStore: [(key: String, files: [PayloadSegmentStore.Record.File], tar: SegmentCutter.Cut?, cpio: SegmentCutter.Cut?)] = []

        for (index, segment) in layers.segments(of: contents, tarMembers: tarMembers).enumerated() {
            let layerFiles = segment.layer == nil ? [:] : layers.layers[index].files
            let key = store != nil && segment.layer != nil && !segment.members.isEmpty
                ? try segmentKey(segment, layerFiles: layerFiles, tarMembers: tarMembers, cpioMembers: cpioMembers) : nil
            if let key, let store, let kept = try usable(key, segment, store: store, chunks: chunks) {
                if let tar { cutter.splice(at: SegmentCutter.boundary(tar), kept.tar) }
                if let cpio, let piece = kept.cpio { cpio.cutter.splice(at: SegmentCutter.boundary(cpio.writer), [piece]) }
                payloads.reusedLayers.append(layers.layers[index].name)
                var keptFiles: [String: PayloadSegmentStore.Record.File] = [:]
                for file in kept.record.files { keptFiles[file.path] = file }
                for member in segment.members {
                    guard let entry = member.entry else { continue }
                    switch entry.kind {
                    case .file:
                        guard let file = keptFiles[entry.path] else { continue }
                        md5OfPath[entry.path] = file.md5
                        if needs.md5 { payloads.md5.append((entry.path, file.md5)) }
                        if needs.cpio != nil { sha256OfInode[entry.inode] = file.sha256 }
                    case .hardlink(let target):
                        if needs.md5, let md5 = md5OfPath[target] { payloads.md5.append((entry.path, md5)) }
                    case .directory, .symlink:
                        break
                    }
                }
                continue
            }
            var files: [PayloadSegmentStore.Record.File] = []
            for member in segment.members {
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
                // A linked file in a run without tar or md5 is read once, by `writeLinkSets`, unless
                // the segment is kept, whose record holds every file's digests.
                if tar == nil && !inCPIONow && !needs.md5 && key == nil { continue }
                // Only what someone reads is hashed; a segment to keep records both digests.
                let stat = key == nil ? nil : PayloadSegmentStore.FileStat.settled(path: entry.sourcePath)
                let md5 = needs.md5 || key != nil ? try StreamingDigest(.md5) : nil
                let sha256 = needs.cpio != nil || key != nil ? try StreamingDigest(.sha256) : nil
                try chunks.read(entry.sourcePath, expectedSize: entry.size) { chunk in
                    md5?.update(chunk)
                    sha256?.update(chunk)
                    try tar?.writeData(chunk)
                    if inCPIONow { try cpio?.writer.writeData(chunk) }
                }
                let md5Hex = md5.map { Digests.hexString($0.finalize()) }
                let sha256Hex = sha256.map { Digests.hexString($0.finalize()) }
                if let md5Hex {
                    md5OfPath[entry.path] = md5Hex
                    if needs.md5 { payloads.md5.append((entry.path, md5Hex)) }
                }
                if let sha256Hex, needs.cpio != nil { sha256OfInode[entry.inode] = sha256Hex }
                if key != nil, let md5Hex, let sha256Hex {
                    files.append(.init(path: entry.path, sha256: sha256Hex, md5: md5Hex, stat: stat))
                }
            }
            if segment.layer != nil {
                let tarCut = cutsTar ? tar.map { cutter.cut(at: SegmentCutter.boundary($0)) } : nil
                let cpioCut = cutsCPIO ? cpio.map { $0.cutter.cut(at: SegmentCutter.boundary($0.writer)) } : nil
                if let key { toStore.append((key, files, tarCut, cpioCut)) }
            }
        }
        if let tar {
            try tar.finish()
            try cutter.finish()
            for (compression, file, compressor) in tarFiles {
                try compressor.finish()
                let digest = try file.finish()[0]
                payloads.dataTar.append((compression, Payloads.File(path: file.path, size: file.byteCount,
                                                                     uncompressedSize: compressor.uncompressedByteCount, sha256: digest)))
            }
        }
        if let cpio, let cpioFile {
            try cpioMembers.writeLinkSets(to: cpio.writer, chunks: chunks, digests: &sha256OfInode)
            try cpio.writer.finish()
            try cpio.cutter.finish()
            try cpio.compressor.finish()
            let digest = try cpioFile.finish()[0]
            payloads.cpio = Payloads.File(path: cpioFile.path, size: cpioFile.byteCount,
                                          uncompressedSize: cpio.compressor.uncompressedByteCount, sha256: digest)
            for entry in contents.entries where entry.isRegular {
                payloads.sha256[entry.path] = sha256OfInode[entry.inode]
            }
        }
        // Kept after the streams are whole; a segment that cannot be kept only costs the next run time.
        if let store, !toStore.isEmpty {
            store.sweepAbandoned()
            for kept in toStore {
                var streams: [(name: String, path: String, segment: CompressedSegment)] = []
                for ((compression, file, _), segment) in zip(tarFiles, kept.tar?.segments ?? []) {
                    streams.append((PayloadSegmentStore.streamName("tar", compression), file.path, segment))
                }
                if let compression = needs.cpio, let cpioFile, let segment = kept.cpio?.segments.first {
                    streams.append((PayloadSegmentStore.streamName("cpio", compression), cpioFile.path, segment))
                }
                do { try store.save(kept.key, files: kept.files, streams: streams) } catch { store.remove(kept.key) }
            }
        }
        return payloads
    }

    /// The streams a kept segment must have: each data tar compression, then the cpio's.
    private var streamNames: (tar: [String], cpio: String?) {
        (needs.dataTar.map { PayloadSegmentStore.streamName("tar", $0) }, needs.cpio.map { PayloadSegmentStore.streamName("cpio", $0) })
    }

    /// Names a layer's segment by everything its compressed bytes depend on: every member's
    /// header, the digest the layer recorded for each file, the compressions and the tool.
    private func segmentKey(_ segment: PayloadLayers.Segment, layerFiles: [String: String?],
                            tarMembers: TarMembers, cpioMembers: CPIOMembers) throws -> String {
        var text = "omnibus payload segment 2\n\(store?.toolIdentity ?? "")\n"
        for (archive, compression) in needs.dataTar.map({ ("tar", $0) }) + (needs.cpio.map { [("cpio", $0)] } ?? []) {
            text += "\(PayloadSegmentStore.streamName(archive, compression)) \(try BlockCompressor.blockSize(for: compression))\n"
        }
        for member in segment.members {
            var headers = needs.dataTar.isEmpty ? [] : [member.entry.map(tarMembers.header(for:)) ?? tarMembers.parentHeader(member.path)]
            // rpm's members carry inode numbers and link counts; linked files are not in the segment.
            if needs.cpio != nil, let entry = member.entry, !cpioMembers.isLinked(entry) {
                headers.append(try cpioMembers.header(for: entry, carriesData: true))
            }
            for header in headers {
                text += [header.path, "\(header.kind)", String(header.permissions, radix: 8), "\(header.size)",
                         "\(header.modificationTime)", header.userName ?? "", header.groupName ?? "",
                         "\(header.inode)", "\(header.linkCount)"].joined(separator: "\t") + "\n"
            }
            text += "\((layerFiles[member.path] ?? nil) ?? "-")\n"
        }
        return try Digests.hex(.sha256, of: Array(text.utf8))
    }

    /// The kept segment for `key` when it can stand for the segment: its data files have the
    /// digests its record says, and every file is as it was read (same stat, or else the same
    /// SHA-256, read again). A damaged entry is removed; a changed file only means a miss.
    private func usable(_ key: String, _ segment: PayloadLayers.Segment, store: PayloadSegmentStore,
                        chunks: FileChunks) throws -> (record: PayloadSegmentStore.Record, tar: [(segment: CompressedSegment, path: String)],
                                                       cpio: (segment: CompressedSegment, path: String)?)? {
        guard var record = store.load(key) else { return nil }
        var pieces: [(segment: CompressedSegment, path: String)] = []
        let names = streamNames
        for name in names.tar + (names.cpio.map { [$0] } ?? []) {
            guard let stream = record.streams.first(where: { $0.name == name }),
                  (try? Digests.hex(.sha256, ofFile: store.dataPath(key, name))) == stream.sha256 else {
                store.remove(key)
                return nil
            }
            pieces.append((stream.segment, store.dataPath(key, name)))
        }
        let entries = segment.members.compactMap(\.entry).filter { if case .file = $0.kind { true } else { false } }
        guard entries.map(\.path) == record.files.map(\.path) else {
            store.remove(key)
            return nil
        }
        var refreshed = false
        for (position, entry) in entries.enumerated() {
            let now = PayloadSegmentStore.FileStat(path: entry.sourcePath)
            if let now, now == record.files[position].stat { continue }
            let sha256 = try StreamingDigest(.sha256)
            do { try chunks.read(entry.sourcePath, expectedSize: entry.size) { sha256.update($0) } } catch { return nil }
            guard Digests.hexString(sha256.finalize()) == record.files[position].sha256 else { return nil }
            record.files[position].stat = PayloadSegmentStore.FileStat.settled(path: entry.sourcePath)
            refreshed = true
        }
        if refreshed { try? store.write(record, key) }
        return (record, Array(pieces.prefix(names.tar.count)), names.cpio == nil ? nil : pieces.last)
    }
}
