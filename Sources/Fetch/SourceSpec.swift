import Foundation

/// Where a software's source comes from, as plain values: the Definitions layer maps a
/// definition's `source` to one of these.
package enum SourceSpec: Sendable, Hashable {
    /// A file downloaded from `url` (http, https or file) and accepted only if it has `checksum`.
    /// `fileName` (default: the URL's last path component) is the name used for mirror lookup,
    /// in the cache, and to recognise the archive format.
    case url(URL, Checksum, fileName: String? = nil)
    /// A file that exists only in source mirrors, such as Debian's repacked
    /// `zlib_1.2.13.dfsg.orig.tar.bz2`: there is no upstream URL to fall back on.
    /// `debian` names the Debian source package it comes from, for the error message.
    case mirrorOnly(fileName: String, Checksum, debian: DebianOrigin? = nil)
    /// A git repository checked out at a pinned full commit id.
    case git(repository: String, commit: String)
    /// A local directory, copied without `.git` and without what `exclude` matches (see
    /// `DirectoryTree`), and identified by a hash of what is copied.
    case path(directory: String, exclude: [String] = [])

    /// The file name a file source is stored and looked up under; nil for git and path sources.
    package var fileName: String? {
        switch self {
        case .url(let url, _, let name): name ?? url.lastPathComponent
        case .mirrorOnly(let name, _, _): name
        case .git, .path: nil
        }
    }

    /// The checksum of a file source; nil for git and path sources.
    package var checksum: Checksum? {
        switch self {
        case .url(_, let checksum, _), .mirrorOnly(_, let checksum, _): checksum
        case .git, .path: nil
        }
    }
}

/// A Debian source package (and optionally its exact Debian version, epoch included, such as
/// `1:1.2.13.dfsg-1`) whose `.orig` file carries a source's bytes.
package struct DebianOrigin: Sendable, Hashable {
    package var package: String
    package var version: String?

    package init(package: String, version: String? = nil) {
        self.package = package
        self.version = version
    }

    /// `zlib=1:1.2.13.dfsg-1` or `zlib`, as `apt-get source` takes it.
    package var aptArgument: String { version.map { "\(package)=\($0)" } ?? package }
}
