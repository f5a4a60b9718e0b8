import CArchive

/// What an archive says about one member, before anything is written to disk.
package struct ArchiveEntryInfo: Sendable, Equatable {
    package enum Kind: Sendable, Equatable {
        case file, directory, symlink(target: String), hardlink(target: String), other
    }

    package let path: String
    package let kind: Kind
    package let size: Int64
    package let mode: UInt32

    package init(path: String, kind: Kind, size: Int64, mode: UInt32) {
        self.path = path
        self.kind = kind
        self.size = size
        self.mode = mode
    }
}

extension ArchiveEntryInfo {
    /// The header libarchive read for the current member.
    init(_ entry: OpaquePointer) {
        let mode = UInt32(archive_entry_mode(entry))
        let kind: Kind
        if let hardlink = archive_entry_hardlink(entry) {
            kind = .hardlink(target: String(cString: hardlink))
        } else {
            switch mode & UInt32(S_IFMT) {
            case UInt32(S_IFREG): kind = .file
            case UInt32(S_IFDIR): kind = .directory
            case UInt32(S_IFLNK):
                kind = .symlink(target: archive_entry_symlink(entry).map { String(cString: $0) } ?? "")
            default: kind = .other
            }
        }
        self.init(path: archive_entry_pathname(entry).map { String(cString: $0) } ?? "", kind: kind,
                  size: archive_entry_size(entry), mode: mode & 0o7777)
    }
}
