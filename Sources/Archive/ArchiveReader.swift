import CArchive

/// Sequential reader over any format and compression libarchive recognises.
package final class ArchiveReader {
    package let path: String
    private let handle: OpaquePointer
    /// The bytes an in-memory reader reads; libarchive keeps pointing into them until freed.
    private var memory: UnsafeMutableRawBufferPointer?

    package init(path: String) throws(ArchiveError) {
        guard let handle = archive_read_new() else {
            throw ArchiveError(path: path, message: "cannot allocate an archive reader")
        }
        archive_read_support_filter_all(handle)
        archive_read_support_format_all(handle)
        self.path = path
        self.handle = handle
        // Every property is set by now, so deinit frees the handle if opening fails.
        guard archive_read_open_filename(handle, path, 1 << 16) == ARCHIVE_OK else {
            throw ArchiveError(path: path, message: libarchiveMessage(handle))
        }
    }

    /// Reads an archive held in memory (a member of another archive, such as a .deb's
    /// `control.tar.xz`); `name` stands for it in messages.
    package init(bytes: [UInt8], name: String) throws(ArchiveError) {
        guard let handle = archive_read_new() else {
            throw ArchiveError(path: name, message: "cannot allocate an archive reader")
        }
        archive_read_support_filter_all(handle)
        archive_read_support_format_all(handle)
        self.path = name
        self.handle = handle
        let memory = UnsafeMutableRawBufferPointer.allocate(byteCount: max(bytes.count, 1), alignment: 1)
        memory.copyBytes(from: bytes)
        self.memory = memory
        guard archive_read_open_memory(handle, memory.baseAddress, bytes.count) == ARCHIVE_OK else {
            throw ArchiveError(path: name, message: libarchiveMessage(handle))
        }
    }

    deinit {
        archive_read_free(handle)
        memory?.deallocate()
    }

    /// The next member's header, or nil at the end of the archive.
    package func nextEntry() throws(ArchiveError) -> ArchiveEntryInfo? {
        var entry: OpaquePointer?
        let status = archive_read_next_header(handle, &entry)
        if status == ARCHIVE_EOF { return nil }
        guard status >= ARCHIVE_WARN, let entry else {
            throw ArchiveError(path: path, message: libarchiveMessage(handle))
        }
        return ArchiveEntryInfo(entry)
    }

    /// Reads the current member's data in chunks; call after `nextEntry()`.
    package func readData(_ body: (UnsafeRawBufferPointer) throws -> Void) throws {
        var buffer = [UInt8](repeating: 0, count: 1 << 16)
        while true {
            let count = buffer.withUnsafeMutableBytes { archive_read_data(handle, $0.baseAddress, $0.count) }
            if count == 0 { return }
            guard count > 0 else { throw ArchiveError(path: path, message: libarchiveMessage(handle)) }
            try buffer.withUnsafeBytes { try body(UnsafeRawBufferPointer(rebasing: $0.prefix(count))) }
        }
    }

    /// Every member's header, in archive order.
    package static func listEntries(path: String) throws(ArchiveError) -> [ArchiveEntryInfo] {
        let reader = try ArchiveReader(path: path)
        var entries: [ArchiveEntryInfo] = []
        while let entry = try reader.nextEntry() { entries.append(entry) }
        return entries
    }
}
