import Archive

/// Sits between an archive writer (the data tar, rpm's cpio) and its compressors and cuts the compressed streams at layer
/// boundaries, given as offsets of the tar stream: libarchive hands its bytes over in blocks, so
/// when the last member of a layer is written, some of its bytes are still to come. At a cut
/// every compressor ends its segment; at a splice each puts back a segment kept from an earlier
/// run, whose tar bytes were never made.
final class SegmentCutter {
    /// Filled when the cut happens: each compressor's segment, in compressor order.
    final class Cut {
        fileprivate(set) var segments: [CompressedSegment] = []
    }

    private enum Action {
        case cut(Cut)
        /// For each compressor, the kept segment and the file holding its bytes.
        case splice([(segment: CompressedSegment, path: String)])
    }

    private let compressors: [BlockCompressor]
    private let chunks = FileChunks()
    private var position: Int64 = 0
    private var actions: [(offset: Int64, action: Action)] = []

    init(compressors: [BlockCompressor]) {
        self.compressors = compressors
    }

    /// The offset where the next member starts, counting bytes libarchive still holds and the
    /// padding it adds to the last member's data when the next header (or the end) comes: tar
    /// members are whole 512-byte records, newc cpio data is padded to 4 bytes.
    static func boundary(_ writer: ArchiveWriter) -> Int64 {
        let alignment: Int64 = writer.format == .cpioNewc ? 4 : 512
        return (writer.uncompressedByteCount + alignment - 1) / alignment * alignment
    }

    func cut(at offset: Int64) -> Cut {
        let cut = Cut()
        actions.append((offset, .cut(cut)))
        return cut
    }

    func splice(at offset: Int64, _ pieces: [(segment: CompressedSegment, path: String)]) {
        actions.append((offset, .splice(pieces)))
    }

    func write(_ bytes: UnsafeRawBufferPointer) throws {
        var rest = bytes[...]
        while !rest.isEmpty {
            try fireDue()
            let limit = actions.first.map { Int($0.offset - position) } ?? rest.count
            let count = min(rest.count, limit)
            let piece = UnsafeRawBufferPointer(rebasing: rest.prefix(count))
            for compressor in compressors { try compressor.write(piece) }
            position += Int64(count)
            rest = rest.dropFirst(count)
        }
        try fireDue()
    }

    /// After the archive is finished: nothing may be left, since the last segment (the trailer)
    /// is never cut or spliced.
    func finish() throws {
        try fireDue()
        guard actions.isEmpty else {
            throw PackagingError.archive("a payload segment boundary lies beyond the end of the archive")
        }
    }

    private func fireDue() throws {
        while let (offset, action) = actions.first, offset <= position {
            guard offset == position else {
                throw PackagingError.archive("a payload segment boundary at \(offset) was passed (at \(position))")
            }
            actions.removeFirst()
            switch action {
            case .cut(let cut):
                cut.segments = try compressors.map { try $0.endSegment() }
            case .splice(let pieces):
                for (compressor, piece) in zip(compressors, pieces) {
                    try compressor.appendSegment(piece.segment) { write in
                        try chunks.read(piece.path, expectedSize: piece.segment.length) { try write($0) }
                    }
                }
            }
        }
    }
}
