/// The exact files one software put into the install dir: what the health check attributes
/// findings to, what the layer cache stores, and what `omnibus clean` knows about.
public struct Layer: Codable, Sendable, Equatable {
    public struct Entry: Codable, Sendable, Equatable {
        public enum Kind: String, Codable, Sendable {
            case file, directory, symlink
        }

        /// Relative to the install dir, without a leading slash.
        public let path: String
        public let kind: Kind
        public let mode: UInt32
        public let size: Int64?
        public let sha256: String?
        public let target: String?

        public init(path: String, kind: Kind, mode: UInt32, size: Int64? = nil, sha256: String? = nil, target: String? = nil) {
            self.path = path
            self.kind = kind
            self.mode = mode
            self.size = size
            self.sha256 = sha256
            self.target = target
        }
    }

    public let software: String
    public let version: String
    public let cacheKey: String
    /// Sorted by path, so the record's bytes depend only on the layer's contents.
    public let entries: [Entry]

    public init(software: String, version: String, cacheKey: String, entries: [Entry]) {
        self.software = software
        self.version = version
        self.cacheKey = cacheKey
        self.entries = entries.sorted { $0.path < $1.path }
    }
}
