import Definitions
import Publishing

/// Where `omnibus publish` puts packages, after precedence: a flag, else `publish:` in
/// omnibus.config.yml, else the defaults (suite `stable`, component `main`, Origin and Label the
/// project's name).
package struct PublishSettings: Sendable, Equatable {
    package var apt: AptRepository.Options?
    package var yumPath: String?
    /// Overwrite a package already published with other bytes.
    package var replace: Bool
    /// Write repositories without signatures even though no key is configured.
    package var unsigned: Bool

    /// What the command line said; nil means "not given".
    package struct Flags: Sendable {
        package var aptRepo: String?
        package var yumRepo: String?
        package var suite: String?
        package var component: String?
        package var origin: String?
        package var label: String?
        package var replace = false
        package var unsigned = false

        package init(aptRepo: String? = nil, yumRepo: String? = nil, suite: String? = nil, component: String? = nil,
                     origin: String? = nil, label: String? = nil, replace: Bool = false, unsigned: Bool = false) {
            self.aptRepo = aptRepo
            self.yumRepo = yumRepo
            self.suite = suite
            self.component = component
            self.origin = origin
            self.label = label
            self.replace = replace
            self.unsigned = unsigned
        }
    }

    /// - Parameters:
    ///   - projectName: the default Origin and Label.
    ///   - summary: the Release file's Description.
    package static func resolve(_ flags: Flags, config: RepositoryConfig.PublishConfig, projectName: String, summary: String,
                                currentDirectory: String) throws(RunError) -> PublishSettings {
        func absolute(_ path: String) -> String { path.hasPrefix("/") ? path : currentDirectory + "/" + path }
        func given(_ value: String?) -> String? { value.flatMap { $0.isEmpty ? nil : $0 } }
        for (flag, value) in [("--suite", flags.suite), ("--component", flags.component)] {
            if let value = given(value), let problem = AptArchiveName.problem(value) {
                throw .badInput("\(flag) '\(value)' must be \(problem)")
            }
        }
        for (flag, value) in [("--origin", flags.origin), ("--label", flags.label)] where value?.contains(where: \.isNewline) == true {
            throw .badInput("\(flag) must be one line of text")
        }
        var settings = PublishSettings(apt: nil, yumPath: nil, replace: flags.replace, unsigned: flags.unsigned)
        if let path = given(flags.aptRepo).map(absolute) ?? config.apt?.path {
            let aptConfig = config.apt
            settings.apt = AptRepository.Options(
                path: path, suite: given(flags.suite) ?? aptConfig?.suite ?? "stable",
                component: given(flags.component) ?? aptConfig?.component ?? "main",
                origin: given(flags.origin) ?? aptConfig?.origin ?? projectName,
                label: given(flags.label) ?? aptConfig?.label ?? projectName,
                description: String(summary.split(separator: "\n").first ?? Substring(projectName)))
        } else if given(flags.suite) != nil || given(flags.component) != nil || given(flags.origin) != nil || given(flags.label) != nil {
            throw .badInput("--suite, --component, --origin and --label describe an apt repository: give its directory with --apt-repo DIR (or publish.apt.path in omnibus.config.yml)")
        }
        settings.yumPath = given(flags.yumRepo).map(absolute) ?? config.yum?.path
        guard settings.apt != nil || settings.yumPath != nil else {
            throw .badInput("""
                nothing to publish to: give --apt-repo DIR and/or --yum-repo DIR, or set them in omnibus.config.yml:
                  publish:
                    apt: {path: repo/apt, suite: stable, component: main}
                    yum: {path: repo/yum}
                """)
        }
        return settings
    }
}
