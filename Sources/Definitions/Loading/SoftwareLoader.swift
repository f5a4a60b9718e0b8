import Foundation

/// Loads and checks one software definition (`Software/<name>.yml`).
package enum SoftwareLoader {
    static let keys = ["name", "default_version", "license", "license_files", "dependencies", "versions",
                       "relative_path", "env", "build", "live_install", "tools", "build_dependencies", "network",
                       "pass_env"]
    static let versionKeys = ["source", "relative_path", "env", "build"]

    package static func load(path: String, displayPath: String, kinds: DefinitionKinds) throws(DefinitionError) -> Software {
        let root = try DefinitionFile.read(path: path, displayPath: displayPath)
        var problems = Diagnostics()
        let software = decode(root, path: path, displayPath: displayPath, kinds: kinds, problems: &problems)
        try problems.throwIfAny()
        return software!
    }

    static func decode(_ root: YAMLValue, path: String, displayPath: String, kinds: DefinitionKinds,
                       problems: inout Diagnostics) -> Software? {
        guard let map = MappingReader(root, describing: "a software definition", allowed: keys, problems: &problems) else {
            return nil
        }
        let what = "the software"
        let directory = (path as NSString).deletingLastPathComponent
        let name = map.string("name", required: what, problems: &problems)
        DefinitionFile.checkName(name, path: path, problems: &problems)
        let (defaultVersion, versionChoices) = ConditionalEntries.defaultVersion(map, problems: &problems)
        let license = map.string("license", required: what + " (an SPDX name such as 'Zlib', or 'Proprietary')",
                                 problems: &problems)
        let (dependencies, dependencyConditions) = ConditionalEntries.dependencies(map, problems: &problems)
        ProjectLoader.reportDuplicates(dependencies, what: "dependency", problems: &problems)
        if let name, let own = dependencies.first(where: { $0.value == name.value }) {
            problems.error("software '\(name.value)' cannot depend on itself", at: own.location)
        }
        let env = decodeEnv(map, problems: &problems)
        if !map.has("build") { map.missing("build", in: what + " (a list of steps; use [] for none)", problems: &problems) }
        let build = StepDecoder.decodeList(map.value("build"), name: "build", directory: directory, kinds: kinds,
                                           problems: &problems)

        var versions: [String: SoftwareVersion] = [:]
        var declared: [String] = []
        if let versionsValue = map.value("versions") {
            guard case .mapping(let pairs, _) = versionsValue else {
                problems.error("'versions' must be a mapping of version strings to {source: ...}, found \(versionsValue.kindDescription)",
                               at: versionsValue.location)
                return nil
            }
            declared = pairs.map(\.key.text)
            if pairs.isEmpty {
                problems.error("'versions' must define at least one version", at: versionsValue.location)
            }
            for (key, value) in pairs {
                versions[key.text] = decodeVersion(key, value, directory: directory, kinds: kinds, problems: &problems)
            }
        } else {
            map.missing("versions", in: what, problems: &problems)
        }
        for version in [defaultVersion].compactMap({ $0 }) + versionChoices.map(\.version)
            where !declared.isEmpty && !declared.contains(version.value) {
            problems.error("'default_version' \(version.value) is not one of the defined versions (\(declared.joined(separator: ", ")))",
                           at: version.location)
        }

        let tools = map.stringList("tools", problems: &problems)
        for tool in tools where tool.value.isEmpty || tool.value.contains("/") || tool.value.contains(where: \.isWhitespace) {
            problems.error("'tools' names commands found on the build PATH, such as swift or cmake; found '\(tool.value)'", at: tool.location)
        }
        let buildDependencies = decodeBuildDependencies(map, problems: &problems)
        let network = map.bool("network", problems: &problems)?.value ?? false
        let passEnv = ProjectLoader.decodePassEnv(map, problems: &problems)
        guard let name, let defaultVersion, let license else { return nil }
        var software = Software(
            name: name.value, file: displayPath, directory: directory, defaultVersion: defaultVersion,
            license: license.value, licenseFiles: map.stringList("license_files", problems: &problems).map(\.value),
            dependencies: dependencies, versions: versions,
            relativePath: map.string("relative_path", problems: &problems)?.value, env: env, build: build,
            liveInstall: map.bool("live_install", problems: &problems)?.value ?? false, tools: tools.map(\.value),
            licenseLocation: license.location)
        software.buildDependencies = buildDependencies
        software.network = network
        software.dependencyConditions = dependencyConditions
        software.versionChoices = versionChoices
        software.passEnv = passEnv
        return software
    }

    /// `build_dependencies: { debian: [autoconf, libtool] }`: per platform family, package names
    /// the family's package manager knows.
    static func decodeBuildDependencies(_ map: MappingReader, problems: inout Diagnostics) -> [String: [String]] {
        guard let value = map.value("build_dependencies") else { return [:] }
        guard case .mapping(let pairs, _) = value else {
            problems.error("'build_dependencies' must map a platform family (\(TargetPlatform.families.joined(separator: ", "))) to a list of package names, found \(value.kindDescription)",
                           at: value.location)
            return [:]
        }
        var result: [String: [String]] = [:]
        for (key, list) in pairs {
            guard TargetPlatform.families.contains(key.text) else {
                let hint = Suggestion.closest(to: key.text, in: TargetPlatform.families).map { " (did you mean '\($0)'?)" } ?? ""
                problems.error("'build_dependencies': unknown platform family '\(key.text)'\(hint); known: \(TargetPlatform.families.joined(separator: ", "))",
                               at: key.location)
                continue
            }
            let names = TypedValue.stringList(list, name: "build_dependencies.\(key.text)", problems: &problems)
            ProjectLoader.reportDuplicates(names, what: "build dependency", problems: &problems)
            // rpm names may hold capitals (perl-ExtUtils-MakeMaker); Debian's may not.
            for name in names where key.text == "debian" ? !PackageName.isValid(name.value)
                : name.value.isEmpty || name.value.contains(where: { $0.isWhitespace || $0 == "/" }) {
                problems.error("'build_dependencies.\(key.text)': '\(name.value)' is not a package name\(key.text == "debian" ? ": " + PackageName.rule : "")",
                               at: name.location)
            }
            result[key.text] = names.map(\.value)
        }
        return result
    }

    static func decodeVersion(_ key: YAMLKey, _ value: YAMLValue, directory: String, kinds: DefinitionKinds,
                              problems: inout Diagnostics) -> SoftwareVersion? {
        let path = "versions.\(key.text)."
        guard let map = MappingReader(value, describing: "version '\(key.text)'", allowed: versionKeys,
                                      problems: &problems) else { return nil }
        guard let sourceValue = map.value("source") else {
            map.missing("source", in: "version '\(key.text)'", problems: &problems)
            return nil
        }
        let source = SourceDecoder.decode(sourceValue, directory: directory, kinds: kinds, problems: &problems)
        let build = map.value("build").map {
            StepDecoder.decodeList($0, name: path + "build", directory: directory, kinds: kinds, problems: &problems)
        }
        guard let source else { return nil }
        return SoftwareVersion(version: key.text, source: source, location: key.location,
                               relativePath: map.string("relative_path", problems: &problems)?.value,
                               env: decodeEnv(map, problems: &problems), build: build)
    }

    static func decodeEnv(_ map: MappingReader, problems: inout Diagnostics) -> [EnvSetting] {
        map.value("env").map { decodeEnv($0, name: map.path + "env", problems: &problems) } ?? []
    }

    /// `env: {NAME: value}`: names a shell could export (so no '=', NUL or empty name), values
    /// checked for `{{variables}}` like any step string.
    static func decodeEnv(_ value: YAMLValue, name: String, problems: inout Diagnostics) -> [EnvSetting] {
        TypedValue.stringMap(value, name: name, problems: &problems).map { key, value in
            let valid = key.text.first.map { $0 == "_" || ($0.isASCII && $0.isLetter) } == true
                && key.text.allSatisfy { $0 == "_" || ($0.isASCII && ($0.isLetter || $0.isNumber)) }
            if !valid {
                problems.error("'\(DisplayText.escaped(key.text))' is not a valid environment variable name (letters, digits and '_', not starting with a digit)",
                               at: key.location)
            }
            Interpolation.check(value, problems: &problems)
            return EnvSetting(name: key.text, value: value.value)
        }
    }
}
