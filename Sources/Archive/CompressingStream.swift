import CArchive

/// A compressor fed with large chunks: bytes are gathered into a 1 MiB buffer and handed to a
/// libarchive "raw" writer carrying the compression filter, whose output goes to the sink.
/// The filter settings live here (see `ArchiveCompression` for why they keep bytes stable).
final class CompressingStream {
    private let handle: OpaquePointer
    private let context: SinkContext
    private var buffer: [UInt8] = []
    private static let chunk = 1 << 20
    private var closed = false

    init(_ compression: ArchiveCompression, sink: @escaping (UnsafeRawBufferPointer) throws -> Void) throws {
        guard let handle = archive_write_new() else {
            throw ArchiveError(path: "<compressor>", message: "cannot allocate a compressor")
        }
        self.handle = handle
        self.context = SinkContext(sink: sink)
        buffer.reserveCapacity(Self.chunk)
        try check(archive_write_set_format_raw(handle), "cannot select the raw format")
        try configure(compression)
        archive_write_set_bytes_per_block(handle, 1 << 16)
        archive_write_set_bytes_in_last_block(handle, 1)
        let client = Unmanaged.passUnretained(context).toOpaque()
        try check(archive_write_open2(handle, client, nil, { _, client, buffer, length in
            let context = Unmanaged<SinkContext>.fromOpaque(client!).takeUnretainedValue()
            do {
                try context.sink(UnsafeRawBufferPointer(start: buffer, count: length))
                return la_ssize_t(length)
            } catch {
                context.error = error
                return -1
            }
        }, nil, nil), "cannot open the compressor")
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
            guard written > 0 else {
                try rethrowSinkError()
                throw failure("compressing")
            }
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
        guard status < ARCHIVE_OK else { return }
        try rethrowSinkError()
        throw failure(what)
    }

    private func rethrowSinkError() throws {
        if let error = context.error {
            context.error = nil
            throw error
        }
    }

    private func failure(_ what: String) -> ArchiveError {
        let message = archive_error_string(handle).map { String(cString: $0) } ?? "unknown libarchive error"
        return ArchiveError(path: what, message: message)
    }
}
