import Foundation

/// Optional `omnibus.config.yml` at the root of a packaging repository: settings that belong to
/// the repository rather than to one project.
package struct RepositoryConfig: Sendable, Equatable {
    package static let fileName = "omnibus.config.yml"

    /// Extra software directories, searched after the repository's own `Software/`.
    package var softwareDirs: [String] = []
    /// Source mirrors (directories or URLs), tried before upstream URLs.
    package var sourceMirrors: [String] = []
    package var cacheDir: String?
    package var workDir: String?
    /// Seconds one source download may take, all attempts together.
    package var downloadTimeout: Int?
    /// Bytes per second a download attempt must average; 0 turns the check off.
    package var downloadMinimumRate: Int?
    /// `remote_cache:`: a shared layer cache (see docs/cache.md).
    package var remoteCache: RemoteCacheConfig?
    /// `jobserver:`: false gives each make `-j<share>` instead of the build's one jobserver.
    package var jobserver: Bool?
    /// `ccache:`: compile C and C++ through ccache (see docs/build.md).
    package var ccache: Bool?

    /// `signing:`: the OpenPGP key packages and repositories are signed with (see docs/release.md).
    package var signing: SigningConfig?

    package struct SigningConfig: Sendable, Equatable {
        /// A key id, fingerprint or user id that `gpg --local-user` takes.
        package var key: String
        /// A file holding the key's passphrase (absolute); nil: the agent has it, or there is none.
        package var passphraseFile: String?
        /// `GNUPGHOME` for signing (absolute); nil: the caller's.
        package var gnupgHome: String?

        package init(key: String, passphraseFile: String? = nil, gnupgHome: String? = nil) {
            self.key = key
            self.passphraseFile = passphraseFile
            self.gnupgHome = gnupgHome
        }
    }

    /// `publish:`: the repositories `omnibus publish` adds packages to (see docs/repositories.md).
    package var publish = PublishConfig()

    package struct PublishConfig: Sendable, Equatable {
        package var apt: AptConfig?
        package var yum: YumConfig?

        package init(apt: AptConfig? = nil, yum: YumConfig? = nil) {
            self.apt = apt
            self.yum = yum
        }
    }

    package struct AptConfig: Sendable, Equatable {
        /// The repository's root directory (absolute).
        package var path: String?
        package var suite: String?
        package var component: String?
        package var origin: String?
        package var label: String?
    }

    package struct YumConfig: Sendable, Equatable {
        /// The repository's root directory (absolute).
        package var path: String?
    }

    package struct RemoteCacheConfig: Sendable, Equatable {
        package var url: String
        package var upload: Bool?
        /// As written: hex keys, PEM text, or paths (made absolute against the repository).
        package var trustedKeys: [String]
        package var signingKey: String?
        package var timeout: Int?
    }

    package init() {}

    /// Loads the config if the repository has one; paths are made absolute against the root.
    package static func load(root: String) throws(DefinitionError) -> RepositoryConfig {
        var config = RepositoryConfig()
        let names = [fileName, fileName.replacingOccurrences(of: ".yml", with: ".yaml")]
        guard let name = names.first(where: { FileManager.default.fileExists(atPath: root + "/" + $0) }) else { return config }
        let path = root + "/" + name
        let text = try DefinitionFile.text(path: path, displayPath: name)
        // An empty config file means "all defaults".
        if text.split(separator: "\n").allSatisfy({ $0.trimmingCharacters(in: .whitespaces).hasPrefix("#") || $0.trimmingCharacters(in: .whitespaces).isEmpty }) {
            return config
        }
        let value = try DefinitionFile.parse(text, displayPath: name)
        var problems = Diagnostics()
        if let map = MappingReader(value, describing: "the repository config",
                                   allowed: ["software_dirs", "source_mirrors", "cache_dir", "work_dir",
                                             "download_timeout", "download_min_rate", "remote_cache", "signing", "publish",
                                             "jobserver", "ccache"],
                                   problems: &problems) {
            func absolute(_ path: String) -> String {
                path.hasPrefix("/") || path.contains("://") ? path : root + "/" + path
            }
            config.softwareDirs = map.stringList("software_dirs", problems: &problems).map { absolute($0.value) }
            config.sourceMirrors = map.stringList("source_mirrors", problems: &problems).map { absolute($0.value) }
            config.cacheDir = map.string("cache_dir", problems: &problems).map { absolute($0.value) }
            config.workDir = map.string("work_dir", problems: &problems).map { absolute($0.value) }
            func number(_ key: String, atLeast minimum: Int, _ expected: String) -> Int? {
                guard let number = map.int(key, problems: &problems) else { return nil }
                guard number.value >= minimum else {
                    problems.error("'\(key)' must be \(expected), found \(number.value)", at: number.location)
                    return nil
                }
                return number.value
            }
            config.downloadTimeout = number("download_timeout", atLeast: 1, "a number of seconds, 1 or more")
            config.downloadMinimumRate = number("download_min_rate", atLeast: 0,
                                                "a number of bytes per second, 0 or more (0 turns the check off)")
            config.jobserver = map.bool("jobserver", problems: &problems)?.value
            config.ccache = map.bool("ccache", problems: &problems)?.value
            if let remote = map.value("remote_cache"),
               let section = MappingReader(remote, describing: "'remote_cache'", path: "remote_cache.",
                                           allowed: ["url", "upload", "trusted_keys", "signing_key", "timeout"], problems: &problems),
               let url = section.string("url", required: "'remote_cache' (the server's base URL)", problems: &problems) {
                func keyText(_ text: String) -> String {
                    // A hex key or PEM text stays as written; anything else is a path.
                    text.allSatisfy(\.isHexDigit) || text.contains("-----BEGIN") ? text : absolute(text)
                }
                var timeout: Int?
                if let value = section.int("timeout", problems: &problems) {
                    if value.value < 1 { problems.error("'remote_cache.timeout' must be a number of seconds, 1 or more", at: value.location) }
                    timeout = value.value
                }
                config.remoteCache = RemoteCacheConfig(
                    url: url.value, upload: section.bool("upload", problems: &problems)?.value,
                    trustedKeys: section.stringList("trusted_keys", problems: &problems).map { keyText($0.value) },
                    signingKey: section.string("signing_key", problems: &problems).map { absolute($0.value) }, timeout: timeout)
            }
            if let signing = map.value("signing"),
               let section = MappingReader(signing, describing: "'signing'", path: "signing.",
                                           allowed: ["key", "passphrase_file", "gnupg_home"], problems: &problems),
               let key = section.string("key", required: "'signing' (a gpg key id or fingerprint)", problems: &problems) {
                if key.value.isEmpty || key.value.contains(where: \.isNewline) {
                    problems.error("'signing.key' must be a gpg key id, fingerprint or user id on one line", at: key.location)
                }
                config.signing = SigningConfig(
                    key: key.value,
                    passphraseFile: section.string("passphrase_file", problems: &problems).map { absolute($0.value) },
                    gnupgHome: section.string("gnupg_home", problems: &problems).map { absolute($0.value) })
            }
            if let publish = map.value("publish") {
                config.publish = publishConfig(publish, absolute: absolute, problems: &problems)
            }
        }
        try problems.throwIfAny()
        return config
    }

    private static func publishConfig(_ value: YAMLValue, absolute: (String) -> String,
                                      problems: inout Diagnostics) -> PublishConfig {
        var config = PublishConfig()
        guard let section = MappingReader(value, describing: "'publish'", path: "publish.", allowed: ["apt", "yum"],
                                          problems: &problems) else { return config }
        /// Suite and component name directories (`AptArchiveName`); the Release fields are one line.
        func word(_ reader: MappingReader, _ key: String, oneLine: Bool = false) -> String? {
            guard let value = reader.string(key, problems: &problems) else { return nil }
            let problem = oneLine ? (value.value.isEmpty || value.value.contains(where: \.isNewline) ? "one line of text" : nil)
                : AptArchiveName.problem(value.value)
            if let problem {
                problems.error("'publish.apt.\(key)' must be \(problem)", at: value.location)
                return nil
            }
            return value.value
        }
        if let apt = section.value("apt"),
           let reader = MappingReader(apt, describing: "'publish.apt'", path: "publish.apt.",
                                      allowed: ["path", "suite", "component", "origin", "label"], problems: &problems) {
            config.apt = AptConfig(path: reader.string("path", problems: &problems).map { absolute($0.value) },
                                   suite: word(reader, "suite"), component: word(reader, "component"),
                                   origin: word(reader, "origin", oneLine: true), label: word(reader, "label", oneLine: true))
        }
        if let yum = section.value("yum"),
           let reader = MappingReader(yum, describing: "'publish.yum'", path: "publish.yum.", allowed: ["path"], problems: &problems) {
            config.yum = YumConfig(path: reader.string("path", problems: &problems).map { absolute($0.value) })
        }
        return config
    }
}
