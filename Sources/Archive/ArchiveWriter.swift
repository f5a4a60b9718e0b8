import CArchive

/// Sequential writer of ar, tar and cpio archives through libarchive, optionally compressed,
/// handing every output byte to a caller's sink (a file, a digest, a pipe, or all three).
///
/// Nothing about the writing machine leaks in: members carry only what `ArchiveWriteEntry` says,
/// gzip headers carry no time, and the final block is not padded (`bytes_in_last_block` 1), so
/// compressed streams end where the compressor ends.
package final class ArchiveWriter {
    package enum Format: Sendable, Equatable {
        /// ar with BSD names: names of 16 bytes or fewer are stored as-is, padded with spaces,
        /// which is what `dpkg-deb` writes for `debian-binary`, `control.tar.gz`, ...
        case arBSD
        /// GNU tar (long names through `././@LongLink`), what `dpkg-deb` itself writes.
        case gnutar
        /// POSIX ustar (names up to 255 bytes split into prefix and name).
        case ustar
        /// SVR4 cpio without checksums ("newc", magic `070701`), the rpm payload format.
        case cpioNewc
    }

    package let format: Format
    package let compression: ArchiveCompression?
    private let handle: OpaquePointer
    private let sink: ArchiveSink
    private let compressor: CompressingStream?
    private var closed = false

    /// - Parameter sink: receives the archive's bytes in order; an error it throws stops the
    ///   writing and is rethrown unchanged by the call that was writing. Other failures are
    ///   thrown as `ArchiveError`.
    package init(format: Format, compression: ArchiveCompression? = nil,
                sink: @escaping (UnsafeRawBufferPointer) throws -> Void) throws {
        guard let handle = archive_write_new() else {
            throw ArchiveError(path: "<writer>", message: "cannot allocate an archive writer")
        }
        self.format = format
        self.compression = compression
        self.handle = handle
        // The format's many small writes (512-byte headers, short files) are gathered into large
        // chunks before they reach the compressor: a multi-threaded xz encoder wakes a worker on
        // every call, which costs more than the compression of a small piece.
        let compressor = try compression.map { try CompressingStream($0, sink: sink) }
        self.compressor = compressor
        self.sink = ArchiveSink(compressor.map { stream in { try stream.write($0) } } ?? sink)
        try check(setFormat(format), "cannot select the \(format) format")
        try check(self.sink.open(handle), "cannot open the archive writer")
    }

    deinit {
        // An unfinished writer is abandoned, not flushed: its output is incomplete anyway.
        if !closed { archive_write_fail(handle) }
        archive_write_free(handle)
    }

    /// Writes a member's header; `.file` members are followed by exactly `size` bytes of data.
    package func writeHeader(_ member: ArchiveWriteEntry) throws {
        guard let entry = archive_entry_new() else {
            throw ArchiveError(path: member.path, message: "cannot allocate an archive entry")
        }
        defer { archive_entry_free(entry) }
        archive_entry_copy_pathname(entry, member.path)
        switch member.kind {
        case .file:
            archive_entry_set_filetype(entry, UInt32(S_IFREG))
            archive_entry_set_size(entry, member.size)
        case .directory:
            archive_entry_set_filetype(entry, UInt32(S_IFDIR))
            archive_entry_set_size(entry, 0)
        case .symlink(let target):
            archive_entry_set_filetype(entry, UInt32(S_IFLNK))
            archive_entry_copy_symlink(entry, target)
            archive_entry_set_size(entry, 0)
        case .hardlink(let target):
            archive_entry_set_filetype(entry, UInt32(S_IFREG))
            archive_entry_copy_hardlink(entry, target)
            archive_entry_set_size(entry, 0)
        }
        archive_entry_set_perm(entry, mode_t(member.permissions & 0o7777))
        archive_entry_set_mtime(entry, time_t(member.modificationTime), 0)
        archive_entry_set_uid(entry, member.uid)
        archive_entry_set_gid(entry, member.gid)
        if let name = member.userName { archive_entry_copy_uname(entry, name) }
        if let name = member.groupName { archive_entry_copy_gname(entry, name) }
        archive_entry_set_ino64(entry, member.inode)
        archive_entry_set_nlink(entry, member.linkCount)
        try check(archive_write_header(handle, entry), member.path)
    }

    /// Appends data to the current `.file` member.
    package func writeData(_ bytes: UnsafeRawBufferPointer) throws {
        guard let base = bytes.baseAddress, !bytes.isEmpty else { return }
        var offset = 0
        while offset < bytes.count {
            let written = archive_write_data(handle, base + offset, bytes.count - offset)
            if written < 0 { throw sink.failure(handle, "writing data") }
            // libarchive accepts no more than the size announced in the header.
            if written == 0 { throw ArchiveError(path: "writing data", message: "more data than the member's size") }
            offset += written
        }
    }

    /// Finishes the archive: the end-of-archive marker, the compressor's trailer, the last block.
    package func finish() throws {
        guard !closed else { return }
        closed = true
        try check(archive_write_close(handle), "finishing the archive")
        try compressor?.finish()
    }

    /// Bytes the format produced before compression (so far, or in total after `finish()`).
    package var uncompressedByteCount: Int64 { archive_filter_bytes(handle, -1) }

    private func setFormat(_ format: Format) -> Int32 {
        switch format {
        case .arBSD: archive_write_set_format_ar_bsd(handle)
        case .gnutar: archive_write_set_format_gnutar(handle)
        case .ustar: archive_write_set_format_ustar(handle)
        case .cpioNewc: archive_write_set_format_cpio_newc(handle)
        }
    }

    private func check(_ status: Int32, _ what: String) throws {
        try sink.check(status, handle, what)
    }
}
