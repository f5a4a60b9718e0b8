/// One member of a package, independent of the format: where it installs, what it is, and the
/// owner, mode and time every format writes for it.
package struct PackageEntry: Sendable, Equatable {
    package enum Kind: Sendable, Equatable {
        case file
        case directory
        case symlink(target: String)
        /// Another name for the regular file at `target` (an absolute install path that sorts
        /// before this one and is in the same package).
        case hardlink(target: String)
    }

    /// Absolute path where the entry installs (`/opt/demo/bin/tool`).
    package var path: String
    /// Where its bytes are read from while packaging (matters for files and hard links).
    package var sourcePath: String
    package var kind: Kind
    /// Permission bits from the disk (`0o7777`, setuid/setgid/sticky included).
    package var permissions: UInt32
    /// Bytes of a regular file (also of a hard link: the shared file's size); the target's length
    /// for a symlink; 0 for a directory.
    package var size: Int64
    /// The file's time, lowered to `SOURCE_DATE_EPOCH` and raised to `PackageInfo.minimumEpoch`.
    package var modificationTime: Int64
    package var user: String
    package var group: String
    /// 1, 2, 3, ... in path order; every name of one hard-linked file shares its number. Never
    /// the disk's inode, so two builds number alike.
    package var inode: UInt32
    /// How many entries of the package share `inode`.
    package var linkCount: UInt32
    /// Listed in `config_files`: a Debian conffile, an rpm `%config(noreplace)`.
    package var isConfig: Bool

    package init(path: String, sourcePath: String, kind: Kind, permissions: UInt32, size: Int64,
                modificationTime: Int64, user: String = "root", group: String = "root", inode: UInt32 = 0,
                linkCount: UInt32 = 1, isConfig: Bool = false) {
        self.path = path
        self.sourcePath = sourcePath
        self.kind = kind
        self.permissions = permissions
        self.size = size
        self.modificationTime = modificationTime
        self.user = user
        self.group = group
        self.inode = inode
        self.linkCount = linkCount
        self.isConfig = isConfig
    }

    /// True for files whose bytes are in the package (regular files and their hard links).
    package var isRegular: Bool {
        switch kind {
        case .file, .hardlink: true
        case .directory, .symlink: false
        }
    }

    /// The full `st_mode`: file type bits plus permissions.
    var mode: UInt32 {
        switch kind {
        case .file, .hardlink: 0o100000 | permissions
        case .directory: 0o040000 | permissions
        case .symlink: 0o120000 | permissions
        }
    }
}
