import CArchive

/// One xz stream made of blocks compressed independently (liblzma's block coder), so blocks can
/// be compressed in parallel, or kept from an earlier run, and still form a single stream: dpkg
/// and rpm read one xz stream, not several concatenated ones.
///
/// The stream is: the 12-byte stream header, each block (header with both sizes, LZMA2 data,
/// padding, CRC64), the index of every block's sizes, the 12-byte footer. Nothing in it depends on
/// the machine or on how many blocks were compressed at once.
enum XZBlocks {
    /// A compressed block and the two sizes the index records for it.
    struct Block: Sendable {
        var bytes: [UInt8]
        var unpaddedSize: UInt64
        var uncompressedSize: UInt64
    }

    /// liblzma's `LZMA_FILTER_LZMA2` (a function-like macro Swift does not import).
    private static let lzma2Filter: UInt64 = 0x21
    /// `LZMA_VLI_UNKNOWN`: ends a filter chain and marks a size not yet known.
    private static let unknown = UInt64.max

    /// The dictionary size of an xz preset level (8 MiB at level 6).
    static func dictionarySize(level: Int) throws(ArchiveError) -> Int {
        var options = lzma_options_lzma()
        guard lzma_lzma_preset(&options, UInt32(level)) == 0 else {
            throw ArchiveError(path: "<xz>", message: "xz level \(level) is not a preset")
        }
        return Int(options.dict_size)
    }

    /// Compresses `input` as one complete block at preset `level`, with a CRC64 check (what `xz`
    /// writes by default).
    static func block(_ input: UnsafeRawBufferPointer, level: Int) throws(ArchiveError) -> Block {
        var options = lzma_options_lzma()
        guard lzma_lzma_preset(&options, UInt32(level)) == 0 else {
            throw ArchiveError(path: "<xz>", message: "xz level \(level) is not a preset")
        }
        var output = [UInt8](repeating: 0, count: lzma_block_buffer_bound(input.count))
        var position = 0
        var block = lzma_block()
        let status: lzma_ret = withUnsafeMutablePointer(to: &options) { optionsPointer in
            var filters = [lzma_filter(id: lzma2Filter, options: UnsafeMutableRawPointer(optionsPointer)),
                           lzma_filter(id: unknown, options: nil)]
            return filters.withUnsafeMutableBufferPointer { filterBuffer in
                block.version = 0
                block.check = LZMA_CHECK_CRC64
                block.filters = filterBuffer.baseAddress
                block.compressed_size = unknown
                block.uncompressed_size = unknown
                return output.withUnsafeMutableBufferPointer { out in
                    lzma_block_buffer_encode(&block, nil, input.baseAddress?.assumingMemoryBound(to: UInt8.self),
                                             input.count, out.baseAddress, &position, out.count)
                }
            }
        }
        guard status == LZMA_OK else {
            throw ArchiveError(path: "<xz>", message: "liblzma could not compress a block (error \(status.rawValue))")
        }
        output.removeSubrange(position...)
        return Block(bytes: output, unpaddedSize: lzma_block_unpadded_size(&block), uncompressedSize: block.uncompressed_size)
    }

    /// The stream header that comes before the first block.
    static func streamHeader() throws(ArchiveError) -> [UInt8] {
        var flags = lzma_stream_flags()
        flags.version = 0
        flags.check = LZMA_CHECK_CRC64
        var header = [UInt8](repeating: 0, count: 12)
        let status = header.withUnsafeMutableBufferPointer { lzma_stream_header_encode(&flags, $0.baseAddress) }
        guard status == LZMA_OK else { throw ArchiveError(path: "<xz>", message: "cannot encode the xz stream header") }
        return header
    }

    /// The index of `blocks` (unpadded and uncompressed sizes, in order) and the stream footer.
    static func streamTrailer(_ blocks: [(unpaddedSize: UInt64, uncompressedSize: UInt64)]) throws(ArchiveError) -> [UInt8] {
        guard let index = lzma_index_init(nil) else {
            throw ArchiveError(path: "<xz>", message: "cannot allocate the xz index")
        }
        defer { lzma_index_end(index, nil) }
        for block in blocks where lzma_index_append(index, nil, block.unpaddedSize, block.uncompressedSize) != LZMA_OK {
            throw ArchiveError(path: "<xz>", message: "the xz index cannot hold another block")
        }
        let indexSize = Int(lzma_index_size(index))
        var trailer = [UInt8](repeating: 0, count: indexSize + 12)
        var position = 0
        let indexStatus = trailer.withUnsafeMutableBufferPointer { lzma_index_buffer_encode(index, $0.baseAddress, &position, indexSize) }
        guard indexStatus == LZMA_OK else { throw ArchiveError(path: "<xz>", message: "cannot encode the xz index") }
        var flags = lzma_stream_flags()
        flags.version = 0
        flags.check = LZMA_CHECK_CRC64
        flags.backward_size = UInt64(indexSize)
        let footerStatus = trailer.withUnsafeMutableBufferPointer { lzma_stream_footer_encode(&flags, $0.baseAddress! + indexSize) }
        guard footerStatus == LZMA_OK else { throw ArchiveError(path: "<xz>", message: "cannot encode the xz stream footer") }
        return trailer
    }
}
