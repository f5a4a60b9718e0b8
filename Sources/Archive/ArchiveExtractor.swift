import CArchive
import Glibc
import Synchronization

/// Where one archive member is written, chosen by the caller before anything touches the disk.
package struct ExtractionPlacement: Sendable, Equatable {
    /// Absolute destination path of the member.
    package var path: String
    /// Absolute path of the already-extracted file a hardlink member links to.
    package var hardlinkTarget: String?

    package init(path: String, hardlinkTarget: String? = nil) {
        self.path = path
        self.hardlinkTarget = hardlinkTarget
    }
}

/// Writes an archive's members to disk through libarchive, asking the caller where each one goes
/// (or whether to skip it), so that the security policy lives with the caller and the libarchive
/// mechanics live here.
///
/// libarchive's own guards stay on as a second line of defence: it refuses to write through a
/// symlink already on disk and refuses `..` in the final paths. Owners are never restored (a
/// root build must not create files owned by whoever made the tarball) and permissions go through
/// the umask, so no setuid bit survives; modification times are restored because builds compare
/// them (an unpacked `configure` must stay newer than its `configure.ac`).
package final class ArchiveExtractor {
    /// libarchive learns the umask by setting it to 0 and back, in `archive_write_disk_new` and
    /// again in every `archive_write_header`. Two such dances at once can leave the whole
    /// process at umask 0 for good (the second "restores" the 0 the first set), and every file
    /// created afterwards, by omnibus or by a build step it starts, is then world-writable:
    /// a self-hosting package built with two jobs, then the Python sample (its `__pycache__`
    /// directories, its version manifest) shipped world-writable files that way. Even a single
    /// dance hands umask 0 to a build step another thread spawns at that moment.
    ///
    /// So the thread that drives the disk writer first gets a file-system context of its own
    /// (`unshare(CLONE_FS)`, allowed to any thread and cheap when it already has one): its
    /// umask is then a private copy that nothing else sees change. Where the kernel or a
    /// seccomp filter refuses that, the dances take turns (the whole extraction holds this lock),
    /// which at least keeps the umask from staying at 0.
    private static let umaskDance = Mutex(())

    /// Set once the kernel has refused a private context, so the warning is printed once.
    private static let confinementRefused = Atomic<Bool>(false)

    /// True when the calling thread's umask is now its own.
    private static func confineUmaskToThisThread() -> Bool {
        if omnibus_unshare_fs() == 0 { return true }
        let reason = String(cString: strerror(errno))
        if !confinementRefused.exchange(true, ordering: .relaxed) {
            // Rare (a container whose seccomp filter refuses unshare), and the user should know
            // what it costs, so it is said here rather than nowhere.
            let line = "warning: cannot give the unpacking thread a umask of its own (unshare(CLONE_FS): \(reason)); "
                + "archives are unpacked one at a time, but a build step started during an unpacking can still get umask 0: "
                + "set health_check.fail_on: [world-writable] to stop such a package\n"
            _ = line.withCString { write(STDERR_FILENO, $0, strlen($0)) }
        }
        return false
    }

    /// Runs `body` (which calls into the disk writer) so that its umask dance cannot disturb
    /// the process.
    private static func withPrivateUmask<T>(_ body: () throws -> T) rethrows -> T {
        if confineUmaskToThisThread() { return try body() }
        return try umaskDance.withLock { _ in try body() }
    }

    package let path: String
    private let reader: OpaquePointer
    private let writer: OpaquePointer

    package init(path: String) throws(ArchiveError) {
        guard let reader = archive_read_new() else {
            throw ArchiveError(path: path, message: "cannot allocate an archive reader")
        }
        guard let writer = Self.withPrivateUmask({ archive_write_disk_new() }) else {
            archive_read_free(reader)
            throw ArchiveError(path: path, message: "cannot allocate a disk writer")
        }
        archive_read_support_filter_all(reader)
        archive_read_support_format_all(reader)
        let flags = ARCHIVE_EXTRACT_TIME | ARCHIVE_EXTRACT_SECURE_SYMLINKS | ARCHIVE_EXTRACT_SECURE_NODOTDOT
        archive_write_disk_set_options(writer, flags)
        self.path = path
        self.reader = reader
        self.writer = writer
        // Every property is set by now, so a failure here runs deinit, which frees both handles.
        guard archive_read_open_filename(reader, path, 1 << 16) == ARCHIVE_OK else {
            throw ArchiveError(path: path, message: libarchiveMessage(reader))
        }
    }

    deinit {
        archive_read_free(reader)
        archive_write_free(writer)
    }

    /// Extracts every member in archive order. `place` sees each member's header and returns its
    /// destination, or nil to skip it; an error it throws stops the extraction and is rethrown
    /// unchanged. libarchive failures are thrown as `ArchiveError`.
    package func extract(_ place: (ArchiveEntryInfo) throws -> ExtractionPlacement?) throws {
        try Self.withPrivateUmask { try extractMembers(place) }
    }

    private func extractMembers(_ place: (ArchiveEntryInfo) throws -> ExtractionPlacement?) throws {
        while true {
            var entry: OpaquePointer?
            let status = archive_read_next_header(reader, &entry)
            if status == ARCHIVE_EOF { break }
            guard status >= ARCHIVE_WARN, let entry else {
                throw ArchiveError(path: path, message: libarchiveMessage(reader))
            }
            let info = ArchiveEntryInfo(entry)
            guard let placement = try place(info) else {
                archive_read_data_skip(reader)
                continue
            }
            archive_entry_set_pathname(entry, placement.path)
            if let target = placement.hardlinkTarget { archive_entry_set_hardlink(entry, target) }
            guard archive_write_header(writer, entry) >= ARCHIVE_WARN else {
                throw ArchiveError(path: path, message: "\(info.path): \(libarchiveMessage(writer))")
            }
            if archive_entry_size(entry) > 0 { try copyData(of: info.path) }
            guard archive_write_finish_entry(writer) >= ARCHIVE_WARN else {
                throw ArchiveError(path: path, message: "\(info.path): \(libarchiveMessage(writer))")
            }
        }
        // Directory times and permissions are applied at close, after their contents exist.
        guard archive_write_close(writer) >= ARCHIVE_WARN else {
            throw ArchiveError(path: path, message: libarchiveMessage(writer))
        }
    }

    private func copyData(of member: String) throws(ArchiveError) {
        var buffer: UnsafeRawPointer?
        var size = 0
        var offset: la_int64_t = 0
        while true {
            let status = archive_read_data_block(reader, &buffer, &size, &offset)
            if status == ARCHIVE_EOF { return }
            guard status >= ARCHIVE_WARN else {
                throw ArchiveError(path: path, message: "\(member): \(libarchiveMessage(reader))")
            }
            guard archive_write_data_block(writer, buffer, size, offset) >= ARCHIVE_WARN else {
                throw ArchiveError(path: path, message: "\(member): \(libarchiveMessage(writer))")
            }
        }
    }
}
