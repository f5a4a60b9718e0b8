/// What `when:` conditions are evaluated against: the platform being built (the one named by
/// `--platform`, or the host's `/etc/os-release`) and the project's flags after `--with` and
/// `--without`.
package struct ConditionFacts: Sendable, Equatable {
    /// `debian-12`.
    package let platform: String
    /// The distribution first, then those it derives from (`ubuntu`, `debian`).
    package let families: [String]
    /// `12`; empty when the distribution has no version (a rolling release).
    package let version: String
    /// A canonical machine name (`x86_64`, `aarch64`).
    package let architecture: String
    /// The project's flags that are on.
    package var flags: Set<String> = []

    package init(platform: String, families: [String], version: String, architecture: String, flags: Set<String> = []) {
        self.platform = platform
        self.families = families
        self.version = version
        self.architecture = Self.canonicalArchitecture(architecture) ?? architecture
        self.flags = flags
    }

    /// The facts of a platform this tool makes roots for.
    package init(platform: TargetPlatform, architecture: String) {
        self.init(platform: platform.name, families: [platform.family], version: platform.version,
                  architecture: architecture)
    }

    /// The host's facts from the text of `/etc/os-release` (`ID`, `ID_LIKE`, `VERSION_ID`).
    /// Its name is `<ID>-<VERSION_ID>`, the way known platforms are named (`debian-12`).
    package init(osRelease: String, architecture: String) {
        var fields: [String: String] = [:]
        for line in osRelease.split(separator: "\n") {
            guard let equals = line.firstIndex(of: "=") else { continue }
            var value = line[line.index(after: equals)...].trimmingCharacters(in: .whitespaces)
            if value.count >= 2, let first = value.first, first == "\"" || first == "'", value.last == first {
                value = String(value.dropFirst().dropLast())
            }
            fields[line[..<equals].trimmingCharacters(in: .whitespaces)] = value
        }
        let id = fields["ID"]?.lowercased() ?? "linux"
        let like = (fields["ID_LIKE"] ?? "").lowercased().split(separator: " ").map(String.init)
        let version = fields["VERSION_ID"] ?? ""
        self.init(platform: version.isEmpty ? id : "\(id)-\(version)", families: [id] + like.filter { $0 != id },
                  version: version, architecture: architecture)
    }

    /// Families a condition may name: each distribution's `ID` in os-release.
    package static let knownFamilies = ["debian", "ubuntu", "rhel", "centos", "fedora", "rocky", "almalinux", "amzn",
                                        "ol", "sles", "opensuse", "alpine", "arch"]

    /// Spellings of one machine, kernel name first: a condition may use the kernel's or
    /// Debian's name (`x86_64` or `amd64`), like package architectures.
    static let architectureSpellings: [[String]] = [
        ["x86_64", "amd64"], ["aarch64", "arm64"], ["i686", "i386", "i486", "i586"], ["armv7l", "armhf", "armv7hl"],
        ["ppc64le", "ppc64el"], ["s390x"], ["riscv64"], ["loongarch64", "loong64"],
    ]

    package static var knownArchitectures: [String] { architectureSpellings.flatMap { $0 } }

    /// The kernel's name for any spelling; nil for an unknown one.
    package static func canonicalArchitecture(_ name: String) -> String? {
        architectureSpellings.first { $0.contains(name) }?.first
    }

    /// The facts as recorded in the version manifest.
    package var recorded: [String: String] {
        ["platform": platform, "platform_family": families.joined(separator: " "), "platform_version": version,
         "architecture": architecture]
    }
}

/// A project's `flags:` entry: a feature `omnibus build --with NAME` or `--without NAME` turns
/// on or off.
package struct ProjectFlag: Sendable {
    package let name: String
    package let description: String
    package let defaultOn: Bool
    package let location: SourceLocation

    package init(name: String, description: String, defaultOn: Bool, location: SourceLocation) {
        self.name = name
        self.description = description
        self.defaultOn = defaultOn
        self.location = location
    }
}

/// The `--with` and `--without` flags of one command.
package struct FlagChoices: Sendable, Equatable {
    package var with: [String]
    package var without: [String]

    package init(with: [String] = [], without: [String] = []) {
        self.with = with
        self.without = without
    }

    /// The flags on for `project`: its defaults, then `--with`, then `--without`. Throws a text
    /// naming the declared flags when a choice names one the project does not declare.
    package func flagsOn(for project: Project) throws(DefinitionError) -> Set<String> {
        let declared = project.flags.map(\.name)
        var problems = Diagnostics()
        for (option, names) in [("--with", with), ("--without", without)] {
            for name in names where !declared.contains(name) {
                let hint = Suggestion.closest(to: name, in: declared).map { " (did you mean '\($0)'?)" } ?? ""
                let known = declared.isEmpty ? "it declares no flags" : "it declares: \(declared.joined(separator: ", "))"
                problems.error("\(option) \(name): project '\(project.name)' has no flag '\(name)'\(hint); \(known)",
                               at: nil)
            }
        }
        for name in with where without.contains(name) {
            problems.error("--with \(name) and --without \(name) were both given", at: nil)
        }
        try problems.throwIfAny()
        var on = Set(project.flags.filter(\.defaultOn).map(\.name))
        on.formUnion(with)
        on.subtract(without)
        return on
    }
}
