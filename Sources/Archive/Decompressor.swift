import CArchive

/// Reads a compressed file as one byte string (a repository's `Packages.xz` or `Packages.gz`):
/// libarchive's raw format, so the stream is taken as it is and never as an archive of members.
package enum Decompressor {
    /// The uncompressed bytes of `path`, whatever filter libarchive recognises; a file that is
    /// not compressed at all is returned as it is.
    package static func contents(ofFile path: String) throws(ArchiveError) -> [UInt8] {
        guard let handle = archive_read_new() else { throw ArchiveError(path: path, message: "cannot allocate a reader") }
        defer { archive_read_free(handle) }
        archive_read_support_filter_all(handle)
        archive_read_support_format_raw(handle)
        guard archive_read_open_filename(handle, path, 1 << 16) == ARCHIVE_OK else {
            throw ArchiveError(path: path, message: libarchiveMessage(handle))
        }
        var entry: OpaquePointer?
        let status = archive_read_next_header(handle, &entry)
        // An empty file has no raw member at all.
        if status == ARCHIVE_EOF { return [] }
        guard status >= ARCHIVE_WARN else { throw ArchiveError(path: path, message: libarchiveMessage(handle)) }
        var output: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 1 << 16)
        while true {
            let count = buffer.withUnsafeMutableBytes { archive_read_data(handle, $0.baseAddress, $0.count) }
            if count == 0 { return output }
            guard count > 0 else { throw ArchiveError(path: path, message: libarchiveMessage(handle)) }
            output.append(contentsOf: buffer.prefix(count))
        }
    }
}
