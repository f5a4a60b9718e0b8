/// One member to write with `ArchiveWriter`: every field is given by the caller, nothing is read
/// from the disk, so the archive holds exactly what the caller decided (owners, times, inodes).
package struct ArchiveWriteEntry: Sendable, Equatable {
    package enum Kind: Sendable, Equatable {
        case file
        case directory
        case symlink(target: String)
        /// A tar hard link to an earlier member's path. (cpio newc has no such member: write a
        /// `.file` with the shared `inode` and `linkCount` instead.)
        case hardlink(target: String)
    }

    /// The member name exactly as stored (`./opt/demo/bin/tool`, `debian-binary`, ...).
    package var path: String
    package var kind: Kind
    /// Permission bits (`0o7777`); the file type comes from `kind`.
    package var permissions: UInt32
    /// Bytes of data that follow the header; must be 0 for anything but `.file`.
    package var size: Int64
    package var modificationTime: Int64
    package var uid: Int64
    package var gid: Int64
    package var userName: String?
    package var groupName: String?
    package var inode: Int64
    package var linkCount: UInt32

    package init(path: String, kind: Kind, permissions: UInt32, size: Int64 = 0, modificationTime: Int64,
                uid: Int64 = 0, gid: Int64 = 0, userName: String? = nil, groupName: String? = nil,
                inode: Int64 = 0, linkCount: UInt32 = 1) {
        self.path = path
        self.kind = kind
        self.permissions = permissions
        self.size = size
        self.modificationTime = modificationTime
        self.uid = uid
        self.gid = gid
        self.userName = userName
        self.groupName = groupName
        self.inode = inode
        self.linkCount = linkCount
    }
}
