/// Where a version's source bytes come from.
package enum Source: Sendable, Equatable {
    /// A download, verified against its checksum before use. `fileName` overrides the name taken
    /// from the URL; `debian` names the Debian source package whose `.orig` has the same bytes.
    case url(String, Checksum, fileName: String?, debian: String?)
    /// Bytes that only a source mirror has (for example a tarball Debian repacked); the file name
    /// and checksum say what to look for.
    case mirrorOnly(fileName: String, Checksum, debian: String?)
    /// A git repository checked out at a pinned commit.
    case git(repository: String, commit: String)
    /// A local directory, relative to the definition file or absolute; hashed by content.
    /// `exclude` holds glob patterns of paths inside it that are neither hashed nor copied
    /// (build output of a checkout, for instance).
    case path(String, exclude: [String])

    package var kindName: String {
        switch self {
        case .url: "url"
        case .mirrorOnly: "file"
        case .git: "git"
        case .path: "path"
        }
    }
}

/// A pinned digest of a source file.
package struct Checksum: Sendable, Hashable, CustomStringConvertible {
    package enum Algorithm: String, Sendable, CaseIterable {
        case sha256, sha512
        package var hexLength: Int { self == .sha256 ? 64 : 128 }
    }

    package let algorithm: Algorithm
    /// Lowercase hex.
    package let hex: String

    package init(algorithm: Algorithm, hex: String) {
        self.algorithm = algorithm
        self.hex = hex.lowercased()
    }

    package var description: String { "\(algorithm.rawValue):\(hex)" }
}
