import Archive
import Foundation
import Testing

/// A gzip or xz stream cut into segments can be rebuilt from segments compressed in an earlier
/// run plus freshly compressed ones, byte for byte the stream a run compressing everything gives,
/// which is what a per-layer payload cache needs; the real tools read the result.
@Suite struct SegmentedCompressionTests {
    static let segmentable: [ArchiveCompression.Algorithm] = [.gzip, .xz]

    /// Compresses `parts`, ending a segment after each; returns the stream and the segments.
    static func cold(_ parts: [[UInt8]], _ compression: ArchiveCompression) throws -> (bytes: [UInt8], segments: [CompressedSegment]) {
        var output: [UInt8] = []
        let compressor = try BlockCompressor(compression) { output.append(contentsOf: $0) }
        var segments: [CompressedSegment] = []
        for part in parts {
            try write(part, to: compressor)
            segments.append(try compressor.endSegment())
        }
        try compressor.finish()
        return (output, segments)
    }

    /// Uneven writes, so block cuts never follow the caller's chunks.
    static func write(_ part: [UInt8], to compressor: BlockCompressor) throws {
        var offset = 0
        while offset < part.count {
            let end = min(part.count, offset + 70_001)
            try part[offset..<end].withUnsafeBytes { try compressor.write($0) }
            offset = end
        }
    }

    static func bytes(of segment: CompressedSegment, in stream: [UInt8]) -> ArraySlice<UInt8> {
        stream[Int(segment.offset)..<Int(segment.offset + segment.length)]
    }

    /// Parts of 1.5, 0.3 and 2 blocks and an empty one: segments ending inside a block, on a
    /// block, and holding nothing.
    static func parts(_ blockSize: Int, middle seed: Int = 0) -> [[UInt8]] {
        let sample = BlockCompressionTests.sample(blockSize * 4 + seed * 1000)
        return [Array(sample[0..<blockSize * 3 / 2]),
                Array(sample[(blockSize * 3 / 2 + seed * 1000)..<(blockSize * 9 / 5 + seed * 1000)]),
                [],
                Array(sample[(blockSize * 2)..<(blockSize * 4)])]
    }

    @Test(arguments: segmentable)
    func reusedSegmentsAroundAChangedOneGiveTheColdBytes(algorithm: ArchiveCompression.Algorithm) async throws {
        let compression = BlockCompressionTests.compression(algorithm, threads: 2)
        let blockSize = try BlockCompressor.blockSize(for: compression)
        let before = Self.parts(blockSize)
        var after = before
        after[1] = Self.parts(blockSize, middle: 7)[1] + Array("one more line".utf8)
        let earlier = try Self.cold(before, compression)
        let coldAfter = try Self.cold(after, compression)
        #expect(earlier.bytes != coldAfter.bytes, "the changed segment changed nothing")

        for threads in [1, 8] {
            var output: [UInt8] = []
            let compressor = try BlockCompressor(BlockCompressionTests.compression(algorithm, threads: threads)) {
                output.append(contentsOf: $0)
            }
            for (index, part) in after.enumerated() {
                if index == 1 {
                    try Self.write(part, to: compressor)
                    #expect(try compressor.endSegment() == coldAfter.segments[1])
                } else {
                    let kept = earlier.segments[index]
                    try compressor.appendSegment(kept) { write in
                        try Self.bytes(of: kept, in: earlier.bytes).withUnsafeBytes { try write($0) }
                    }
                }
            }
            try compressor.finish()
            #expect(output == coldAfter.bytes, "\(threads) threads: reused segments differ from a cold stream")
            #expect(compressor.uncompressedByteCount == Int64(after.joined().count))
        }

        let path = FileManager.default.temporaryDirectory.path + "/segments-\(UUID().uuidString)." + algorithm.fileExtension
        try Data(coldAfter.bytes).write(to: URL(fileURLWithPath: path))
        defer { unlink(path) }
        let tool = BlockCompressionTests.tool[algorithm]!
        let test = try await Command.run(tool, ["-t", path])
        #expect(test.succeeded, "\(tool) -t: \(test.error)")
        let decompressed = try await Command.run(tool, ["-dc", path])
        #expect(decompressed.succeeded && Array(decompressed.output) == Array(after.joined()), "\(tool) -dc does not give the input back")
        if algorithm == .xz {
            // Still one stream (dpkg and rpm read one), with a block ending at each boundary:
            // 2 + 1 + 0 + 2 blocks.
            let listing = try await Command.run("xz", ["--robot", "--list", path]).text
            let totals = listing.split(separator: "\n").first { $0.hasPrefix("totals") }?.split(separator: "\t") ?? []
            #expect(totals.count > 2 && totals[1] == "1" && Int(totals[2]) == 5, "\(listing)")
        } else {
            #expect(coldAfter.segments.map(\.blocks.count) == [2, 1, 0, 2])
        }
    }

    @Test(arguments: segmentable)
    func streamsOfOnlyReusedSegmentsAreWhole(algorithm: ArchiveCompression.Algorithm) throws {
        let compression = BlockCompressionTests.compression(algorithm, threads: 2)
        let parts = Self.parts(try BlockCompressor.blockSize(for: compression))
        let earlier = try Self.cold(parts, compression)
        var output: [UInt8] = []
        let compressor = try BlockCompressor(compression) { output.append(contentsOf: $0) }
        for segment in earlier.segments {
            try compressor.appendSegment(segment) { write in
                try Self.bytes(of: segment, in: earlier.bytes).withUnsafeBytes { try write($0) }
            }
        }
        try compressor.finish()
        #expect(output == earlier.bytes)
    }

    @Test func aSegmentIsRefusedWhereItCannotGo() throws {
        let compression = BlockCompressionTests.compression(.gzip, threads: 1)
        let earlier = try Self.cold([Array("first".utf8)], compression)
        let segment = earlier.segments[0]
        let compressor = try BlockCompressor(compression) { _ in }
        // Fewer bytes than the record says: a damaged cache entry.
        #expect(throws: ArchiveError.self) {
            try compressor.appendSegment(segment) { write in
                try Self.bytes(of: segment, in: earlier.bytes).dropLast().withUnsafeBytes { try write($0) }
            }
        }
        // Not at a boundary: the segment's first block would start inside another.
        let unfinished = try BlockCompressor(compression) { _ in }
        try Array("pending".utf8).withUnsafeBytes { try unfinished.write($0) }
        #expect(throws: ArchiveError.self) {
            try unfinished.appendSegment(segment) { write in
                try Self.bytes(of: segment, in: earlier.bytes).withUnsafeBytes { try write($0) }
            }
        }
        // zstd is one frame.
        let zstd = try BlockCompressor(ArchiveCompression(.zstd)) { _ in }
        #expect(throws: ArchiveError.self) { _ = try zstd.endSegment() }
    }
}
