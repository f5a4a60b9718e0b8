/// The format-neutral list of what a package holds, sorted by path (byte order), parents before
/// children, every hard link after the file it links to.
package struct PackageContents: Sendable, Equatable {
    /// Where the package installs (`/opt/demo`); this directory is an entry, and so is every
    /// declared entry outside it (`/etc/demo/demo.conf`), all in one path order.
    package let installDir: String
    package let entries: [PackageEntry]

    package init(installDir: String, entries: [PackageEntry]) {
        self.installDir = installDir
        self.entries = entries
    }

    /// Reads the install dir from disk (see `ContentsScanner` for the rules).
    ///
    /// - Parameters:
    ///   - root: the directory whose contents are packaged; defaults to `info.installDir`. Tests
    ///     and staged builds pass another directory while the package still installs into
    ///     `info.installDir`.
    ///   - info: gives the install dir, owner, group, `SOURCE_DATE_EPOCH` and config files.
    ///   - exclude: `exclude` patterns, relative to the install dir.
    package static func scan(root: String? = nil, info: PackageInfo, exclude: [String] = []) throws(PackagingError) -> PackageContents {
        try ContentsScanner(root: root ?? info.installDir, info: info, exclude: exclude).scan()
    }

    /// Bytes of regular-file data, each hard-linked file counted once.
    package var dataSize: Int64 {
        entries.reduce(0) { total, entry in
            if case .file = entry.kind { return total + entry.size }
            return total
        }
    }

    /// Entries that are config files, in path order.
    package var configFiles: [PackageEntry] { entries.filter(\.isConfig) }
}

/// Byte-wise ordering of paths: Swift's `String <` compares by Unicode rules, under which two
/// different file names can be equal, so it would not give one order for every build.
func pathPrecedes(_ lhs: String, _ rhs: String) -> Bool {
    lhs.utf8.lexicographicallyPrecedes(rhs.utf8)
}
