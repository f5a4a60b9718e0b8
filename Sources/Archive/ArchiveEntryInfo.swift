/// What an archive says about one member, before anything is written to disk.
public struct ArchiveEntryInfo: Sendable, Equatable {
    public enum Kind: Sendable, Equatable {
        case file, directory, symlink(target: String), hardlink(target: String), other
    }

    public let path: String
    public let kind: Kind
    public let size: Int64
    public let mode: UInt32

    public init(path: String, kind: Kind, size: Int64, mode: UInt32) {
        self.path = path
        self.kind = kind
        self.size = size
        self.mode = mode
    }
}
