import Definitions
import Globbing
#if canImport(Glibc)
import Glibc
#endif

/// Modes worth a second look before shipping, found in the install dir: a world-writable file or
/// directory lets any local user change what root runs; a setuid or setgid file runs with its
/// owner's rights; a file its owner cannot read will not install the way it was built. They are
/// warnings unless the project lists the kind in `health_check.fail_on`.
package struct PermissionFinding: Sendable, Equatable, CustomStringConvertible {
    package enum Kind: String, Sendable, CaseIterable {
        case worldWritable = "world-writable"
        case setuid
        case unreadable
    }

    package let kind: Kind
    /// Relative to the install dir.
    package let path: String
    package let mode: UInt32

    package var description: String {
        let octal = String(mode, radix: 8)
        switch kind {
        case .worldWritable: return "\(path) is world-writable (mode \(octal)): any local user can change it"
        case .setuid: return "\(path) is setuid or setgid (mode \(octal)): it runs with its owner's or group's rights"
        case .unreadable: return "\(path) is not readable by its owner (mode \(octal))"
        }
    }
}

enum PermissionAudit {
    static func findings(in installDir: String) -> [PermissionFinding] {
        var found: [PermissionFinding] = []
        DirectoryWalker.walk(installDir, visit: { entry in
            guard entry.kind != .symlink, let info = entry.status() else { return entry.kind == .directory }
            let mode = UInt32(info.st_mode) & 0o7777
            // A sticky world-writable directory (like /tmp) is the one safe kind.
            if mode & 0o002 != 0 && !(entry.kind == .directory && mode & 0o1000 != 0) {
                found.append(.init(kind: .worldWritable, path: entry.path, mode: mode))
            }
            if entry.kind == .file && mode & 0o6000 != 0 { found.append(.init(kind: .setuid, path: entry.path, mode: mode)) }
            if mode & 0o400 == 0 { found.append(.init(kind: .unreadable, path: entry.path, mode: mode)) }
            return entry.kind == .directory
        }, unreadable: { _, _ in })
        return found
    }
}
