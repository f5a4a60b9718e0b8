/// Something a package installs outside its install dir (`files:` in a project): a unit file, a
/// configuration file, a command link on PATH, a directory a service writes to. Build steps
/// cannot put files there (layers hold the install dir only), so these come from the packaging
/// repository or are declared outright, and the package owns each of them.
package struct PackageFile: Sendable, Equatable {
    package enum Kind: Sendable, Equatable {
        /// A file copied from the repository (`source`, relative to its root).
        case file(source: String)
        /// Like `file`, and kept across upgrades when the admin edited it: a Debian conffile, an
        /// rpm `%config(noreplace)`.
        case config(source: String)
        case symlink(target: String)
        case directory
    }

    /// Absolute and normalised (`/lib/systemd/system/demo.service`).
    package let path: String
    package let kind: Kind
    /// Permission bits; nil: the source file's (executable bit kept), 0755 for a directory.
    package let mode: UInt32?
    /// Owner and group on the target; nil: root.
    package let owner: String?
    package let group: String?
    package let location: SourceLocation

    package init(path: String, kind: Kind, mode: UInt32? = nil, owner: String? = nil, group: String? = nil,
                 location: SourceLocation) {
        self.path = path
        self.kind = kind
        self.mode = mode
        self.owner = owner
        self.group = group
        self.location = location
    }

    /// The names `type:` takes.
    package static let typeNames = ["file", "config", "symlink", "directory"]
}

/// A system account the package creates before its files are unpacked (`users:` in a project),
/// so files and directories can be owned by it.
package struct SystemUser: Sendable, Equatable {
    package let name: String
    /// Primary group; created when missing. Defaults to a group named like the user.
    package let group: String
    /// The home directory recorded for the account (not created).
    package let home: String
    package let shell: String
    /// GECOS text (`comment:`), one line.
    package let comment: String

    package init(name: String, group: String? = nil, home: String? = nil, shell: String? = nil, comment: String? = nil) {
        self.name = name
        self.group = group ?? name
        self.home = home ?? "/nonexistent"
        self.shell = shell ?? "/usr/sbin/nologin"
        self.comment = comment ?? ""
    }
}
