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
package final class BlockCompressor {
    package let compression: ArchiveCompression
    package let blockSize: Int
    private let sink: (UnsafeRawBufferPointer) throws -> Void
    private let inFlight: Int
    private var buffer: [UInt8] = []
    private var pending: [Job] = []
    private var xzIndex: [(unpaddedSize: UInt64, uncompressedSize: UInt64)] = []
    private var blocksWritten = 0
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
        if !buffer.isEmpty || (blocksWritten == 0 && pending.isEmpty && compression.algorithm == .gzip) { try submit() }
        while !pending.isEmpty { try writeOldest() }
        if compression.algorithm == .xz {
            if blocksWritten == 0 { try emit(try XZBlocks.streamHeader()) }
            try emit(try XZBlocks.streamTrailer(xzIndex))
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
        if compression.algorithm == .xz {
            if blocksWritten == 0 { try emit(try XZBlocks.streamHeader()) }
            xzIndex.append((block.unpaddedSize, block.uncompressedSize))
        }
        try emit(block.bytes)
        blocksWritten += 1
    }

    private func emit(_ bytes: [UInt8]) throws {
        try bytes.withUnsafeBytes { try sink($0) }
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

extension ArchiveCompression {
    /// Blocks a `BlockCompressor` compresses at once: `threads` when set (1: strictly one after
    /// another), else one per CPU but at least two, so the caller fills the next block while one
    /// is compressed. Never changes the bytes.
    var blockThreads: Int {
        threads > 0 ? threads : max(2, Self.processorCount)
    }
}
