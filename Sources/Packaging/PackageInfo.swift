import Foundation

/// Everything a package says about itself, as plain values: the caller (the CLI) has already
/// loaded the project, rendered the maintainer scripts and resolved the version.
package struct PackageInfo: Sendable, Equatable {
    package var name: String
    /// The project's version as written; each format maps it to what its tools accept.
    package var version: String
    /// The package release (`iteration`), `1` for a first package of a version.
    package var iteration: String
    /// `Name <email>`.
    package var maintainer: String
    package var homepage: String
    /// One line. When empty, the first line of `description` is used.
    package var summary: String
    /// Free text, possibly several lines and paragraphs.
    package var description: String
    package var license: String
    package var architecture: PackageArchitecture
    /// Debian Depends / rpm Requires, e.g. `libc6 (>= 2.31)`, `openssl >= 3.0`, `a | b`.
    package var runtimeDependencies: [String]
    package var conflicts: [String]
    /// Debian Replaces / rpm Obsoletes.
    package var replaces: [String]
    package var provides: [String]
    /// Absolute paths of regular files in the package to mark as configuration
    /// (Debian conffiles; rpm `%config(noreplace)`).
    package var configFiles: [String]
    /// What the package installs outside `installDir` (unit files, conffiles, command links,
    /// service directories), each with its own owner.
    package var extraEntries: [ExtraEntry] = []
    /// Owner and group of every entry of the install dir, whoever runs the packaging.
    package var user: String
    package var group: String
    /// Where the package installs (`/opt/demo`).
    package var installDir: String
    /// `SOURCE_DATE_EPOCH`: newer file times are lowered to it and it is the only time written.
    /// See `PackageInfo.minimumEpoch` for the lower bound.
    package var sourceDateEpoch: Int64
    /// Final script texts, already rendered (no `{{variables}}` left).
    package var scripts: [ScriptKind: String]
    /// The bytes of `version-manifest.json`, embedded in each package's metadata file.
    package var versionManifest: Data?
    package var platform: PlatformInfo
    /// Relations derived from the files (empty when the project turns them off), and the floors.
    package var baseSystem: BaseSystemDependencies = .none

    package init(name: String, version: String, iteration: String = "1", maintainer: String,
                homepage: String = "", summary: String = "", description: String = "",
                license: String = "Unspecified",
                architecture: PackageArchitecture = .host,
                runtimeDependencies: [String] = [], conflicts: [String] = [], replaces: [String] = [],
                provides: [String] = [], configFiles: [String] = [], user: String = "root",
                group: String = "root", installDir: String, sourceDateEpoch: Int64,
                scripts: [ScriptKind: String] = [:], versionManifest: Data? = nil,
                platform: PlatformInfo = .current(), extraEntries: [ExtraEntry] = []) {
        self.extraEntries = extraEntries
        self.name = name
        self.version = version
        self.iteration = iteration
        self.maintainer = maintainer
        self.homepage = homepage
        self.summary = summary
        self.description = description
        self.license = license
        self.architecture = architecture
        self.runtimeDependencies = runtimeDependencies
        self.conflicts = conflicts
        self.replaces = replaces
        self.provides = provides
        self.configFiles = configFiles
        self.user = user
        self.group = group
        self.installDir = installDir
        self.sourceDateEpoch = sourceDateEpoch
        self.scripts = scripts
        self.versionManifest = versionManifest
        self.platform = platform
    }

    /// One entry outside the install dir, described rather than scanned.
    package struct ExtraEntry: Sendable, Equatable {
        package enum Kind: Sendable, Equatable {
            /// The bytes of the regular file at `source` (absolute).
            case file(source: String)
            case symlink(target: String)
            case directory
        }

        /// Absolute, normalised, outside the install dir.
        package var path: String
        package var kind: Kind
        /// nil: the source file's permission bits (a file), 0755 (a directory).
        package var permissions: UInt32?
        package var user: String
        package var group: String
        /// A Debian conffile, an rpm `%config(noreplace)`.
        package var isConfig: Bool

        package init(path: String, kind: Kind, permissions: UInt32? = nil, user: String = "root", group: String = "root",
                     isConfig: Bool = false) {
            self.path = path
            self.kind = kind
            self.permissions = permissions
            self.user = user
            self.group = group
            self.isConfig = isConfig
        }
    }

    /// 1980-01-01T00:00:00Z. Times are never written below it: lintian reports files dated before
    /// 1975 (`package-contains-ancient-file`) and zip-based tools cannot store earlier times, so a
    /// `SOURCE_DATE_EPOCH` of 0 (or a file with time 0) is raised to this.
    package static let minimumEpoch: Int64 = 315_532_800

    /// The time written for generated members (control files, parent directories, rpm BUILDTIME).
    package var effectiveEpoch: Int64 { max(sourceDateEpoch, Self.minimumEpoch) }

    /// The one-line summary: `summary`, or else the first non-blank line of `description`.
    package var synopsis: String {
        let given = summary.trimmingCharacters(in: .whitespaces)
        if !given.isEmpty { return given }
        return descriptionLines.first?.trimmingCharacters(in: .whitespaces) ?? name
    }

    /// The description without the line used as synopsis, blank lines at both ends removed.
    package var extendedDescription: [String] {
        var lines = descriptionLines
        if summary.trimmingCharacters(in: .whitespaces).isEmpty, !lines.isEmpty { lines.removeFirst() }
        while lines.first?.trimmingCharacters(in: .whitespaces).isEmpty == true { lines.removeFirst() }
        while lines.last?.trimmingCharacters(in: .whitespaces).isEmpty == true { lines.removeLast() }
        return lines
    }

    private var descriptionLines: [String] {
        var lines = description.split(separator: "\n", omittingEmptySubsequences: false).map {
            String($0).replacingOccurrences(of: "\t", with: "    ").replacingOccurrences(of: "\r", with: "")
        }
        while lines.first?.trimmingCharacters(in: .whitespaces).isEmpty == true { lines.removeFirst() }
        while lines.last?.trimmingCharacters(in: .whitespaces).isEmpty == true { lines.removeLast() }
        return lines.map { $0.trimmingCharacters(in: .whitespaces).isEmpty ? "" : $0 }
    }

    /// `<name>-<version>-<iteration>.<platform>.<arch>`: formats that no package manager installs
    /// (tarball, `.sh` installer) name the platform, or two platforms' builds would collide.
    var platformQualifiedName: String {
        "\(name)-\(rpmVersion)-\(rpmRelease).\(platform.tag).\(architecture.rpm)"
    }

    /// `installDir` without a trailing slash.
    var normalizedInstallDir: String {
        var dir = installDir
        while dir.count > 1 && dir.hasSuffix("/") { dir.removeLast() }
        return dir
    }
}
