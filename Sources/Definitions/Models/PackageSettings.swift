/// The `package:` section of a project: which formats, owners and per-format options.
package struct PackageSettings: Sendable, Equatable {
    /// Registered format names, in the order they are written.
    package var formats: [String]
    package var user: String
    package var group: String
    /// Format name -> its `package.<name>` settings, defaults filled in for every registered format.
    package var options: [String: FormatOptions]
    /// Whether packages get the base-system dependencies their ELF files need (`libc6 (>= 2.34)`,
    /// `libc.so.6(GLIBC_2.34)(64bit)`); `package: { base_dependencies: false }` turns it off.
    package var baseDependencies = true
    /// Where the debug files of `strip` steps (`embedded/lib/debug/`) go.
    package var debugFiles = DebugFiles.tarball

    package enum DebugFiles: String, Sendable, Equatable, CaseIterable {
        /// Left out of the packages and written to `<package name>.debug.tar.gz` beside them,
        /// laid out under `/usr/lib/debug` where gdb looks.
        case tarball
        /// Kept in the packages, in the install dir.
        case keep
        /// Left out of the packages, and nowhere else.
        case drop
    }

    package init(formats: [String], user: String = "root", group: String = "root", options: [String: FormatOptions]) {
        self.formats = formats
        self.user = user
        self.group = group
        self.options = options
    }

    /// The formats written by default, and every registered format's default options.
    package init(defaultsFor kinds: [any PackageFormatKind.Type]) {
        self.init(formats: kinds.filter { $0.writtenByDefault }.map { $0.name },
                  options: Dictionary(uniqueKeysWithValues: kinds.map { ($0.name, FormatOptions(defaultsOf: $0)) }))
    }
}

/// The `health_check:` section: the linkage check is on unless a project turns it off, and the
/// build then says so loudly.
package struct HealthCheckSettings: Sendable, Equatable {
    package var enabled: Bool
    /// Extra library names or glob patterns (`libfoo.so*`) allowed to resolve outside the install dir.
    package var allow: [String]
    /// Files (relative to the install dir, globs allowed) exempt from the check, with the reason printed.
    package var exempt: [Exemption]
    /// Kinds of permission warnings (`world-writable`, `setuid`, `unreadable`) that fail the check.
    package var failOn: [String] = []

    /// The permission warnings `fail_on` may name.
    package static let permissionKinds = ["world-writable", "setuid", "unreadable"]

    package struct Exemption: Sendable, Equatable {
        package let path: String
        package let reason: String
        package init(path: String, reason: String) {
            self.path = path
            self.reason = reason
        }
    }

    package init(enabled: Bool = true, allow: [String] = [], exempt: [Exemption] = []) {
        self.enabled = enabled
        self.allow = allow
        self.exempt = exempt
    }
}
