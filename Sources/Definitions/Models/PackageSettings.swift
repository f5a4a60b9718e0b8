/// The `package:` section of a project: which formats, owners and per-format options.
public struct PackageSettings: Sendable, Equatable {
    public enum Format: String, Sendable, CaseIterable, Codable {
        case deb, rpm, tar
    }

    public enum Compression: String, Sendable, CaseIterable, Codable {
        case gzip, xz, zstd
    }

    public var formats: [Format]
    public var user: String
    public var group: String
    public var deb: DebOptions
    public var rpm: RPMOptions
    public var tar: TarOptions

    public init(formats: [Format] = Format.allCases, user: String = "root", group: String = "root",
                deb: DebOptions = .init(), rpm: RPMOptions = .init(), tar: TarOptions = .init()) {
        self.formats = formats
        self.user = user
        self.group = group
        self.deb = deb
        self.rpm = rpm
        self.tar = tar
    }

    public struct DebOptions: Sendable, Equatable {
        public var compression: Compression = .gzip
        public var section: String = "misc"
        public var priority: String = "optional"
        public init() {}
    }

    public struct RPMOptions: Sendable, Equatable {
        public var compression: Compression = .gzip
        public var vendor: String?
        public var group: String = "default"
        public init() {}
    }

    public struct TarOptions: Sendable, Equatable {
        public var compression: Compression = .gzip
        public init() {}
    }
}

/// The `health_check:` section: the linkage check is on unless a project turns it off, and the
/// build then says so loudly.
public struct HealthCheckSettings: Sendable, Equatable {
    public var enabled: Bool
    /// Extra library names or glob patterns (`libfoo.so*`) allowed to resolve outside the install dir.
    public var allow: [String]
    /// Files (relative to the install dir, globs allowed) exempt from the check, with the reason printed.
    public var exempt: [Exemption]

    public struct Exemption: Sendable, Equatable {
        public let path: String
        public let reason: String
        public init(path: String, reason: String) {
            self.path = path
            self.reason = reason
        }
    }

    public init(enabled: Bool = true, allow: [String] = [], exempt: [Exemption] = []) {
        self.enabled = enabled
        self.allow = allow
        self.exempt = exempt
    }
}
