/// The `package:` section of a project: which formats, owners and per-format options.
package struct PackageSettings: Sendable, Equatable {
    package enum Format: String, Sendable, CaseIterable, Codable {
        case deb, rpm, tar
    }

    package enum Compression: String, Sendable, CaseIterable, Codable {
        case gzip, xz, zstd
    }

    package var formats: [Format]
    package var user: String
    package var group: String
    package var deb: DebOptions
    package var rpm: RPMOptions
    package var tar: TarOptions

    package init(formats: [Format] = Format.allCases, user: String = "root", group: String = "root",
                deb: DebOptions = .init(), rpm: RPMOptions = .init(), tar: TarOptions = .init()) {
        self.formats = formats
        self.user = user
        self.group = group
        self.deb = deb
        self.rpm = rpm
        self.tar = tar
    }

    package struct DebOptions: Sendable, Equatable {
        package var compression: Compression = .gzip
        package var section: String = "misc"
        package var priority: String = "optional"
        package init() {}
    }

    package struct RPMOptions: Sendable, Equatable {
        package var compression: Compression = .gzip
        package var vendor: String?
        package var group: String = "default"
        package init() {}
    }

    package struct TarOptions: Sendable, Equatable {
        package var compression: Compression = .gzip
        package init() {}
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
