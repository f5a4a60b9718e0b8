import Dispatch
import Synchronization

/// Compresses a byte stream as fixed-size blocks, each compressed on its own and several at once,
/// written to the sink in order. The bytes depend only on the algorithm, the level and the block
/// size, never on the thread count: a block is cut at a fixed offset of the uncompressed stream and
/// compressed by a single-threaded encoder, so 1, 2 or 8 threads give the same output.
///
/// - gzip: one gzip member per block (no time, no name, OS byte 3), concatenated, as `pigz
///   --independent` does; gzip, zlib's `gzread` (dpkg, rpm) and GNU tar read every member.
/// - zstd: one frame from libzstd's multi-threaded mode, not a frame per block: dpkg 1.21.23
///   (Debian 12) stops after the first frame of `data.tar.zst` ("Unexpected EOF in archive").
///   libzstd cuts its jobs at sizes set by the level alone, so 1, 2 or 8 workers give the same
///   bytes (see `ArchiveCompression`); the stream is compressed on libzstd's own threads.
/// - xz: one stream of many blocks with one index (`XZBlocks`), because some xz readers stop after
///   the first of several concatenated streams.
///
/// Memory is bounded per stream, not by the input: at most `inFlight` blocks (and their outputs)
/// exist at once, plus each encoder's own state.
///
/// gzip and xz streams can be cut into segments (`endSegment`): a segment ends its last block
/// early, so the next segment starts a new block at its own offset 0 and its compressed bytes
/// depend only on its own input. A segment compressed in an earlier run can then be put back
/// (`appendSegment`) and the stream is byte for byte the one a run compressing everything gives.
/// zstd's single frame cannot be cut.
package final class BlockCompressor {
    package let compression: ArchiveCompression
    package let blockSize: Int
    private let sink: (UnsafeRawBufferPointer) throws -> Void
    private let inFlight: Int
    private var buffer: [UInt8] = []
    private var pending: [Job] = []
    /// Every block written so far, in order: the xz index is made of them, segments list theirs.
    private var blocks: [CompressedSegment.Block] = []
    /// Where the current segment's first block starts in the compressed stream.
    private var segmentOffset: Int64 = 0
    private var segmentFirstBlock = 0
    private var segmentUncompressedStart: Int64 = 0
    /// Bytes given to the sink (gzip and xz; zstd's frame writes to it directly).
    private var compressedByteCount: Int64 = 0
    private var finished = false
    /// zstd's single frame, compressed on libzstd's worker threads.
    private let frame: CompressingStream?
    package private(set) var uncompressedByteCount: Int64 = 0

    /// The uncompressed size of one block: xz uses three times the preset's dictionary (what
    /// liblzma's multi-threaded encoder cuts at, 24 MiB at level 6), so the ratio matches `xz -T`;
    /// gzip's 32 KiB window gains nothing from more than 1 MiB; zstd is one frame (see above),
    /// its size only says how much is handed to libzstd at once.
    package static func blockSize(for compression: ArchiveCompression) throws(ArchiveError) -> Int {
        switch compression.algorithm {
        case .gzip: 1 << 20
        case .zstd: 4 << 20
        case .xz: max(1 << 20, 3 * (try XZBlocks.dictionarySize(level: compression.level)))
        }
    }

    /// - Parameter sink: receives the compressed bytes in order, on the caller's thread (so a sink
    ///   that checks for cancellation still does).
    package init(_ compression: ArchiveCompression, sink: @escaping (UnsafeRawBufferPointer) throws -> Void) throws(ArchiveError) {
        guard compression.algorithm.levels.contains(compression.level) else {
            throw ArchiveError(path: "<compressor>", message:
                "\(compression.algorithm.rawValue) level \(compression.level) is out of range \(compression.algorithm.levels)")
        }
        self.compression = compression
        self.blockSize = try Self.blockSize(for: compression)
        self.sink = sink
        self.inFlight = compression.blockThreads
        if compression.algorithm == .zstd {
            frame = try Self.catching { try CompressingStream(
                ArchiveCompression(.zstd, level: compression.level, threads: compression.blockThreads), sink: sink) }
        } else {
            frame = nil
            buffer.reserveCapacity(blockSize)
        }
    }

    package func write(_ bytes: UnsafeRawBufferPointer) throws {
        if let frame {
            uncompressedByteCount += Int64(bytes.count)
            return try frame.write(bytes)
        }
        var offset = 0
        while offset < bytes.count {
            let taken = min(blockSize - buffer.count, bytes.count - offset)
            buffer.append(contentsOf: UnsafeRawBufferPointer(rebasing: bytes[offset..<offset + taken]))
            offset += taken
            uncompressedByteCount += Int64(taken)
            if buffer.count == blockSize { try submit() }
        }
    }

    /// Compresses what is left and writes the end of the stream.
    package func finish() throws {
        guard !finished else { return }
        finished = true
        if let frame { return try frame.finish() }
        // gzip refuses an empty file, so an empty stream is one empty member.
        if !buffer.isEmpty || (blocks.count == 0 && pending.isEmpty && compression.algorithm == .gzip) { try submit() }
        while !pending.isEmpty { try writeOldest() }
        if compression.algorithm == .xz {
            if blocks.count == 0 { try emit(try XZBlocks.streamHeader()) }
            try emit(try XZBlocks.streamTrailer(blocks.map { ($0.unpaddedSize, $0.uncompressedSize) }))
        }
    }

    private func submit() throws {
        let job = Job()
        let input = buffer
        let compression = compression
        buffer = []
        buffer.reserveCapacity(blockSize)
        DispatchQueue.global(qos: .userInitiated).async {
            job.complete(Result { () throws(ArchiveError) in try Self.compress(input, compression) })
        }
        pending.append(job)
        while pending.count >= inFlight { try writeOldest() }
    }

    private func writeOldest() throws {
        let block = try pending.removeFirst().wait()
        if compression.algorithm == .xz && blocks.isEmpty { try emit(try XZBlocks.streamHeader()) }
        if blocks.count == segmentFirstBlock { segmentOffset = compressedByteCount }
        try emit(block.bytes)
        blocks.append(CompressedSegment.Block(unpaddedSize: block.unpaddedSize, uncompressedSize: block.uncompressedSize))
    }

    private func emit(_ bytes: [UInt8]) throws {
        try bytes.withUnsafeBytes { try emit($0) }
    }

    private func emit(_ bytes: UnsafeRawBufferPointer) throws {
        try sink(bytes)
        compressedByteCount += Int64(bytes.count)
    }

    /// Ends the current segment: what was written since the previous boundary is compressed to
    /// the end of its last block (a gzip member, an xz block), so what follows starts a block.
    /// Returns where the segment's compressed bytes are in the stream, for the caller to keep.
    /// An empty segment has no bytes and no blocks.
    package func endSegment() throws -> CompressedSegment {
        try requireSegments()
        if !buffer.isEmpty { try submit() }
        while !pending.isEmpty { try writeOldest() }
        let segmentBlocks = Array(blocks[segmentFirstBlock...])
        let offset = segmentBlocks.isEmpty ? compressedByteCount : segmentOffset
        let segment = CompressedSegment(offset: offset, length: compressedByteCount - offset,
                                        uncompressedSize: uncompressedByteCount - segmentUncompressedStart,
                                        blocks: segmentBlocks)
        startSegment()
        return segment
    }

    /// Puts back a segment an earlier stream with the same compression and block size made
    /// (what its `endSegment` returned): `copy` writes exactly its `length` compressed bytes to
    /// the function it is given. Only at a boundary (at the start, or right after `endSegment`
    /// or another `appendSegment`), because the segment's first block starts there.
    package func appendSegment(_ segment: CompressedSegment,
                               copy: (_ write: (UnsafeRawBufferPointer) throws -> Void) throws -> Void) throws {
        try requireSegments()
        guard buffer.isEmpty && pending.isEmpty && blocks.count == segmentFirstBlock else {
            throw ArchiveError(path: "<compressor>", message: "a compressed segment can only be appended at a segment boundary")
        }
        if compression.algorithm == .xz && blocks.isEmpty && !segment.blocks.isEmpty { try emit(try XZBlocks.streamHeader()) }
        let start = compressedByteCount
        try copy { try emit($0) }
        guard compressedByteCount - start == segment.length else {
            throw ArchiveError(path: "<compressor>", message:
                "a compressed segment gave \(compressedByteCount - start) bytes where its record says \(segment.length)")
        }
        blocks += segment.blocks
        uncompressedByteCount += segment.uncompressedSize
        startSegment()
    }

    private func startSegment() {
        segmentFirstBlock = blocks.count
        segmentOffset = compressedByteCount
        segmentUncompressedStart = uncompressedByteCount
    }

    private func requireSegments() throws(ArchiveError) {
        guard frame == nil else {
            throw ArchiveError(path: "<compressor>", message: "a zstd stream is one frame and cannot be cut into segments")
        }
    }

    /// One complete block: an xz block for the shared stream or a whole gzip member.
    private static func compress(_ input: [UInt8], _ compression: ArchiveCompression) throws(ArchiveError) -> XZBlocks.Block {
        switch compression.algorithm {
        case .xz:
            let block = input.withUnsafeBytes { bytes in Result { () throws(ArchiveError) in try XZBlocks.block(bytes, level: compression.level) } }
            return try block.get()
        case .gzip, .zstd:
            let bytes = try Compressor.compress(input, with: compression)
            return XZBlocks.Block(bytes: bytes, unpaddedSize: UInt64(bytes.count), uncompressedSize: UInt64(input.count))
        }
    }

    private static func catching<T>(_ body: () throws -> T) throws(ArchiveError) -> T {
        do { return try body() } catch let error as ArchiveError { throw error } catch {
            throw ArchiveError(path: "<compressor>", message: "\(error)")
        }
    }

    /// A block being compressed on another thread.
    private final class Job: Sendable {
        private let done = DispatchSemaphore(value: 0)
        private let result = Mutex<Result<XZBlocks.Block, ArchiveError>?>(nil)

        func complete(_ value: Result<XZBlocks.Block, ArchiveError>) {
            result.withLock { $0 = value }
            done.signal()
        }

        func wait() throws(ArchiveError) -> XZBlocks.Block {
            done.wait()
            return try result.withLock { $0! }.get()
        }
    }
}

/// Where one segment of a `BlockCompressor` stream lies and what it holds: enough to copy its
/// compressed bytes into another stream with the same compression and block size.
package struct CompressedSegment: Codable, Sendable, Equatable {
    /// One block (a gzip member, an xz block) as the xz index records it.
    package struct Block: Codable, Sendable, Equatable {
        package var unpaddedSize: UInt64
        package var uncompressedSize: UInt64

        package init(unpaddedSize: UInt64, uncompressedSize: UInt64) {
            self.unpaddedSize = unpaddedSize
            self.uncompressedSize = uncompressedSize
        }
    }

    /// Offset of the segment's first compressed byte in the stream, and its compressed length.
    package var offset: Int64
    package var length: Int64
    package var uncompressedSize: Int64
    package var blocks: [Block]

    package init(offset: Int64, length: Int64, uncompressedSize: Int64, blocks: [Block]) {
        self.offset = offset
        self.length = length
        self.uncompressedSize = uncompressedSize
        self.blocks = blocks
    }
}

extension ArchiveCompression {
    /// Blocks a `BlockCompressor` compresses at once: `threads` when set (1: strictly one after
    /// another), else one per CPU but at least two, so the caller fills the next block while one
    /// is compressed. Never changes the bytes.
    var blockThreads: Int {
        threads > 0 ? threads : max(2, Self.processorCount)
    }
}
