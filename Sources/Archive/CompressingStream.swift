import CArchive

/// A compressor fed with large chunks: bytes are gathered into a 1 MiB buffer and handed to a
/// libarchive "raw" writer carrying the compression filter, whose output goes to the sink.
/// The filter settings live here (see `ArchiveCompression` for why they keep bytes stable).
final class CompressingStream {
    private let handle: OpaquePointer
    private let sink: ArchiveSink
    private var buffer: [UInt8] = []
    private static let chunk = 1 << 20
    private var closed = false

    init(_ compression: ArchiveCompression, sink: @escaping (UnsafeRawBufferPointer) throws -> Void) throws {
        guard let handle = archive_write_new() else {
            throw ArchiveError(path: "<compressor>", message: "cannot allocate a compressor")
        }
        self.handle = handle
        self.sink = ArchiveSink(sink)
        buffer.reserveCapacity(Self.chunk)
        try check(archive_write_set_format_raw(handle), "cannot select the raw format")
        try configure(compression)
        try check(self.sink.open(handle), "cannot open the compressor")
        // The raw format carries one nameless regular file: the stream itself.
        guard let entry = archive_entry_new() else {
            throw ArchiveError(path: "<compressor>", message: "cannot allocate an archive entry")
        }
        defer { archive_entry_free(entry) }
        archive_entry_set_filetype(entry, UInt32(S_IFREG))
        archive_entry_copy_pathname(entry, "stream")
        try check(archive_write_header(handle, entry), "starting the compressed stream")
    }

    deinit {
        if !closed { archive_write_fail(handle) }
        archive_write_free(handle)
    }

    func write(_ bytes: UnsafeRawBufferPointer) throws {
        if buffer.count + bytes.count > Self.chunk { try flush() }
        if bytes.count >= Self.chunk {
            try compress(bytes)
        } else {
            buffer.append(contentsOf: bytes)
        }
    }

    func finish() throws {
        guard !closed else { return }
        try flush()
        closed = true
        try check(archive_write_close(handle), "finishing the compressed stream")
    }

    private func flush() throws {
        guard !buffer.isEmpty else { return }
        try buffer.withUnsafeBytes { try compress($0) }
        buffer.removeAll(keepingCapacity: true)
    }

    private func compress(_ bytes: UnsafeRawBufferPointer) throws {
        var offset = 0
        while offset < bytes.count {
            let written = archive_write_data(handle, bytes.baseAddress! + offset, bytes.count - offset)
            guard written > 0 else { throw sink.failure(handle, "compressing") }
            offset += written
        }
    }

    private func configure(_ compression: ArchiveCompression) throws {
        let module: String
        switch compression.algorithm {
        case .gzip:
            module = "gzip"
            try check(archive_write_add_filter_gzip(handle), "cannot add the gzip filter")
            try check(archive_write_set_filter_option(handle, module, "timestamp", nil), "gzip without timestamp")
        case .xz:
            module = "xz"
            try check(archive_write_add_filter_xz(handle), "cannot add the xz filter")
        case .zstd:
            module = "zstd"
            try check(archive_write_add_filter_zstd(handle), "cannot add the zstd filter")
        }
        guard compression.algorithm.levels.contains(compression.level) else {
            throw ArchiveError(path: "<compressor>", message:
                "\(module) level \(compression.level) is out of range \(compression.algorithm.levels)")
        }
        try check(archive_write_set_filter_option(handle, module, "compression-level", String(compression.level)),
                  "\(module) level \(compression.level)")
        if compression.algorithm != .gzip {
            try check(archive_write_set_filter_option(handle, module, "threads", String(compression.effectiveThreads)),
                      "\(module) threads")
        }
    }

    private func check(_ status: Int32, _ what: String) throws {
        try sink.check(status, handle, what)
    }
}
