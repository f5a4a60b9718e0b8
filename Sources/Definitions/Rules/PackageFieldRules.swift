/// The rules a package's fields must follow in every format, in one place: `validate` applies
/// them to definitions (with locations) and the packagers apply them again to what reaches them
/// (a version from the environment, a field set in code), so the two cannot drift.
package enum PackageFieldRules {
    /// What a version may not hold: each format maps other characters to ones it accepts, but
    /// these would reach file names and scripts as they are.
    package static let versionForbidden = "'/', '\\', spaces, quotes, '$', '`', control or non-ASCII characters"

    /// Why `version` cannot be a package version, or nil.
    package static func versionProblem(_ version: String) -> String? {
        var text = Substring(version)
        if text.count > 1, text.first == "v" || text.first == "V", text.dropFirst().first?.isASCII == true,
           text.dropFirst().first?.isNumber == true {
            text = text.dropFirst()
        }
        guard let first = text.unicodeScalars.first else { return "the version is empty" }
        guard ("0"..."9").contains(first) else { return "version '\(version)' must start with a digit (dpkg requires it)" }
        guard text.unicodeScalars.allSatisfy(isVersionScalar) else {
            return "version '\(version)' must not contain \(versionForbidden)"
        }
        guard version.utf8.count <= 128 else { return "version '\(version.prefix(32))...' is longer than 128 bytes" }
        return nil
    }

    /// Why `value` cannot be written as a one-line control field, or nil.
    package static func singleLineProblem(_ field: String, _ value: String) -> String? {
        value.unicodeScalars.contains(where: { $0.properties.generalCategory == .control || $0 == "\u{2028}" || $0 == "\u{2029}" })
            ? "\(field) must be a single line without control characters" : nil
    }

    /// Why `name` cannot be a user or group on the target system (and safe in a shell script), or nil.
    /// The portable account names of useradd and adduser: `[a-z_][a-z0-9_-]*[$]`, at most 32 bytes.
    package static func accountProblem(_ field: String, _ name: String) -> String? {
        let scalars = Array(name.unicodeScalars)
        func lowerOrDigit(_ scalar: Unicode.Scalar) -> Bool { ("a"..."z").contains(scalar) || ("0"..."9").contains(scalar) }
        let valid = !scalars.isEmpty && scalars.count <= 32 && (("a"..."z").contains(scalars[0]) || scalars[0] == "_")
            && scalars.enumerated().allSatisfy { index, scalar in
                lowerOrDigit(scalar) || scalar == "_" || scalar == "-" || (scalar == "$" && index == scalars.count - 1)
            }
        return valid ? nil : "'\(field)' '\(name)' is not a valid account name: use lowercase letters, digits, '_' and '-', starting with a letter or '_', at most 32 characters"
    }

    /// Why `text` is not a relation every format can write, or nil.
    package static func dependencyProblem(_ text: String) -> String? {
        do { _ = try PackageDependency(parsing: text); return nil } catch { return error.description }
    }

    /// Directories no package may take as its install dir: the root, the FHS top level and the
    /// shared parts of `/usr` and `/var`, compared after normalising (`//usr/` is `/usr`).
    package static let systemDirectories: Set<String> = [
        "/", "/bin", "/boot", "/dev", "/etc", "/home", "/lib", "/lib32", "/lib64", "/libx32", "/media", "/mnt", "/opt",
        "/proc", "/root", "/run", "/sbin", "/srv", "/sys", "/tmp", "/usr", "/var",
        "/usr/bin", "/usr/sbin", "/usr/lib", "/usr/lib32", "/usr/lib64", "/usr/libexec", "/usr/include", "/usr/share",
        "/usr/src", "/usr/games", "/usr/local", "/usr/local/bin", "/usr/local/sbin", "/usr/local/lib", "/usr/local/share",
        "/usr/local/include", "/usr/local/etc",
        "/var/lib", "/var/log", "/var/cache", "/var/tmp", "/var/spool", "/var/opt", "/var/mail", "/var/run", "/var/lock",
        "/var/www", "/var/backups", "/var/local",
    ]

    /// `path` with repeated and trailing slashes removed (`//usr/` -> `/usr`).
    package static func normalizedPath(_ path: String) -> String {
        let parts = path.split(separator: "/", omittingEmptySubsequences: true)
        return (path.hasPrefix("/") ? "/" : "") + parts.joined(separator: "/")
    }

    /// Why `path` cannot be an install dir, as a message about `'install_dir'`, or nil.
    package static func installDirProblem(_ path: String, project: String) -> String? {
        let normalized = normalizedPath(path)
        if !path.hasPrefix("/") { return "'install_dir' must be an absolute path such as /opt/\(project), found '\(path)'" }
        if normalized.split(separator: "/").contains(where: { $0 == ".." || $0 == "." }) {
            return "'install_dir' must not contain '.' or '..' components, found '\(path)'"
        }
        if systemDirectories.contains(normalized) || isArchitectureLibraryDir(normalized) {
            return "'install_dir' \(normalized) is a system directory; use a directory of the project's own such as /opt/\(project)"
        }
        // It is written into maintainer scripts and control files: no character a shell treats specially.
        if !normalized.unicodeScalars.allSatisfy({ ("a"..."z").contains($0) || ("A"..."Z").contains($0) || ("0"..."9").contains($0) || "/._+-@".unicodeScalars.contains($0) }) {
            return "'install_dir' may only contain letters, digits and '/', '.', '_', '+', '-', '@', found '\(path)'"
        }
        return nil
    }

    /// `/usr/lib/x86_64-linux-gnu` and the like: the loader's own directories.
    private static func isArchitectureLibraryDir(_ path: String) -> Bool {
        let parts = path.split(separator: "/")
        return parts.count == 3 && parts[0] == "usr" && (parts[1] == "lib" || parts[1] == "lib64") && parts[2].contains("-linux-")
            || parts.count == 2 && parts[0] == "lib" && parts[1].contains("-linux-")
    }

    /// Why a configuration file path is not inside the package's install dir, or nil.
    package static func configFileProblem(_ path: String, installDir: String) -> String? {
        let normalized = normalizedPath(path)
        guard path.hasPrefix("/") else { return "must be an absolute path (for example \(installDir)/\(path))" }
        guard normalized.hasPrefix(normalizedPath(installDir) + "/"),
              !normalized.split(separator: "/").contains(where: { $0 == ".." || $0 == "." }) else {
            return "\(normalized) is not inside the install dir \(installDir); list a configuration file outside it under 'files:' with 'type: config' and a 'source:' in the repository"
        }
        return nil
    }

    /// Trees that are not files on disk, or are emptied at boot: nothing packaged there survives.
    static let volatileTrees = ["/proc", "/sys", "/dev", "/run", "/tmp", "/var/tmp", "/var/run", "/var/lock"]

    /// Why `path` cannot be an entry of a project's `files:` (outside the install dir), or nil.
    package static func packageFileProblem(_ path: String, installDir: String) -> String? {
        let normalized = normalizedPath(path)
        guard path.hasPrefix("/") else { return "'\(path)' must be an absolute path such as /etc/\(path)" }
        if normalized.split(separator: "/").contains(where: { $0 == ".." || $0 == "." }) {
            return "'\(path)' must not contain '.' or '..' components"
        }
        if path.unicodeScalars.contains(where: { $0.properties.generalCategory == .control }) {
            return "a path must not contain control characters or line breaks"
        }
        let install = normalizedPath(installDir)
        if normalized == install || normalized.hasPrefix(install + "/") {
            return "\(normalized) is inside the install dir \(install): files there come from the build (and 'config_files' marks them as configuration)"
        }
        if install.hasPrefix(normalized + "/") {
            return "\(normalized) contains the install dir \(install); the package must not own a directory above it"
        }
        if systemDirectories.contains(normalized) || isArchitectureLibraryDir(normalized) {
            return "\(normalized) is a system directory that other packages share; a package may only own what is below it"
        }
        if let tree = volatileTrees.first(where: { normalized == $0 || normalized.hasPrefix($0 + "/") }) {
            return "\(normalized) is under \(tree), which is not kept on disk or is emptied at boot; create it at run time (systemd RuntimeDirectory=, tmpfiles.d)"
        }
        return nil
    }

    /// Letters, digits and `/._+-` only: safe unquoted in a shell and in /etc/passwd.
    package static func isPlainPath(_ path: String) -> Bool {
        !path.isEmpty && path.unicodeScalars.allSatisfy {
            ("a"..."z").contains($0) || ("A"..."Z").contains($0) || ("0"..."9").contains($0) || "/._+-".unicodeScalars.contains($0)
        }
    }

    private static func isVersionScalar(_ scalar: Unicode.Scalar) -> Bool {
        scalar.isASCII && scalar.value > 0x20 && scalar.value < 0x7f && !"/\\'\"$`".unicodeScalars.contains(scalar)
    }
}
