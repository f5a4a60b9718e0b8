/// The exact files one software put into the install dir: what the health check attributes
/// findings to, what the layer cache stores, and what `omnibus clean` knows about.
package struct Layer: Codable, Sendable, Equatable {
    package struct Entry: Codable, Sendable, Equatable {
        package enum Kind: String, Codable, Sendable {
            case file, directory, symlink
        }

        /// Relative to the install dir, without a leading slash.
        package let path: String
        package let kind: Kind
        package let mode: UInt32
        package let size: Int64?
        package let sha256: String?
        package let target: String?

        package init(path: String, kind: Kind, mode: UInt32, size: Int64? = nil, sha256: String? = nil, target: String? = nil) {
            self.path = path
            self.kind = kind
            self.mode = mode
            self.size = size
            self.sha256 = sha256
            self.target = target
        }
    }

    package let software: String
    package let version: String
    package let cacheKey: String
    /// The project it was built for (entries from older versions have none).
    package let project: String?
    /// Sorted by path, so the record's bytes depend only on the layer's contents.
    package let entries: [Entry]

    package init(software: String, version: String, cacheKey: String, project: String? = nil, entries: [Entry]) {
        self.software = software
        self.version = version
        self.cacheKey = cacheKey
        self.project = project
        self.entries = entries.sorted { $0.path < $1.path }
    }
}
