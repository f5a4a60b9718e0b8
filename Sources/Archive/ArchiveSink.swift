import CArchive

/// Where a libarchive write handle's output goes: a Swift closure reached from libarchive's C
/// write callback. The first error the closure throws is kept, because it explains a failure
/// better than libarchive's own message ("write callback failed").
final class ArchiveSink {
    private let sink: (UnsafeRawBufferPointer) throws -> Void
    private var error: (any Error)?

    init(_ sink: @escaping (UnsafeRawBufferPointer) throws -> Void) {
        self.sink = sink
    }

    /// Opens `handle` so its output goes to the sink, in 64 KiB blocks with the last one not
    /// padded (a compressed stream then ends where the compressor ends).
    func open(_ handle: OpaquePointer) -> Int32 {
        archive_write_set_bytes_per_block(handle, 1 << 16)
        archive_write_set_bytes_in_last_block(handle, 1)
        return archive_write_open2(handle, Unmanaged.passUnretained(self).toOpaque(), nil, { _, client, buffer, length in
            let sink = Unmanaged<ArchiveSink>.fromOpaque(client!).takeUnretainedValue()
            do {
                try sink.sink(UnsafeRawBufferPointer(start: buffer, count: length))
                return la_ssize_t(length)
            } catch {
                sink.error = error
                return -1
            }
        }, nil, nil)
    }

    /// Throws unless `status` is `ARCHIVE_OK`: a warning still wrote the member, but for the
    /// archives written here any warning means lost fidelity.
    func check(_ status: Int32, _ handle: OpaquePointer, _ what: String) throws {
        guard status < ARCHIVE_OK else { return }
        throw failure(handle, what)
    }

    /// The sink's own error when it caused the failure, else libarchive's message about `what`.
    func failure(_ handle: OpaquePointer, _ what: String) -> any Error {
        if let error {
            self.error = nil
            return error
        }
        return ArchiveError(path: what, message: libarchiveMessage(handle))
    }
}
