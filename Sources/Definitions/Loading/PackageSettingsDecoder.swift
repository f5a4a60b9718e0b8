import Archive

/// Decodes a project's `package:` section.
enum PackageSettingsDecoder {
    static func decode(_ value: YAMLValue?, formats kinds: [any PackageFormatKind.Type], repositoryRoot: String? = nil,
                       problems: inout Diagnostics) -> PackageSettings {
        var settings = PackageSettings(defaultsFor: kinds)
        let names = kinds.map { $0.name }
        guard let value, let map = MappingReader(value, describing: "'package'", path: "package.",
                                                 allowed: ["formats", "user", "group", "base_dependencies", "debug_files"] + names,
                                                 problems: &problems) else { return settings }
        if map.has("formats") {
            let formats = map.stringList("formats", problems: &problems)
            ProjectLoader.reportDuplicates(formats, what: "format", problems: &problems)
            settings.formats = formats.compactMap { oneOf($0, names, name: "package.formats", problems: &problems) }
            if formats.isEmpty {
                problems.error("'package.formats' must name at least one of: \(names.joined(separator: ", "))",
                               at: map.value("formats")?.location ?? map.key("formats")?.location)
            }
        }
        for (key, value) in [("user", map.string("user", problems: &problems)), ("group", map.string("group", problems: &problems))] {
            guard let value else { continue }
            if let problem = PackageFieldRules.accountProblem("package.\(key)", value.value) { problems.error(problem, at: value.location) }
            if key == "user" { settings.user = value.value } else { settings.group = value.value }
        }
        if let automatic = map.bool("base_dependencies", problems: &problems) { settings.baseDependencies = automatic.value }
        if let text = map.string("debug_files", problems: &problems),
           let choice = choice(text, of: PackageSettings.DebugFiles.self, name: "package.debug_files", problems: &problems) {
            settings.debugFiles = choice
        }
        for kind in kinds {
            guard let section = map.value(kind.name),
                  let options = MappingReader(section, describing: "'package.\(kind.name)'", path: "package.\(kind.name).",
                                              allowed: ["compression", "compression_level"] + kind.optionDefaults.keys.sorted() + kind.relationOptions,
                                              problems: &problems)
            else { continue }
            var decoded = FormatOptions(defaultsOf: kind)
            if let text = options.string("compression", problems: &problems),
               let compression = choice(text, of: ArchiveCompression.Algorithm.self, name: options.path + "compression",
                                        problems: &problems) {
                decoded.compression = compression
            }
            if let level = options.int("compression_level", problems: &problems) {
                // Checked against the algorithm this format ends up with (its default when the
                // project names none), so `compression_level: 19` alone on a gzip format is refused.
                let range = decoded.compression.levels
                if range.contains(level.value) {
                    decoded.compressionLevel = level.value
                } else {
                    problems.error("'\(options.path)compression_level' is \(level.value), but \(decoded.compression.rawValue) levels are \(range.lowerBound) to \(range.upperBound) (default \(decoded.compression.defaultLevel))",
                                   at: level.location)
                }
            }
            for key in kind.optionDefaults.keys.sorted() {
                if let text = options.string(key, problems: &problems) {
                    if let problem = PackageFieldRules.singleLineProblem(options.path + key, text.value) {
                        problems.error(problem, at: text.location)
                    }
                    if kind.scriptOptions.contains(key) {
                        RepositoryFileCheck.check(text, key: options.path + key, example: "PackageScripts/<project>/\(key)",
                                                  repositoryRoot: repositoryRoot, problems: &problems)
                    }
                    decoded.values[key] = text.value
                }
            }
            for key in kind.relationOptions where options.has(key) {
                let items = options.stringList(key, problems: &problems)
                ProjectLoader.reportDuplicates(items, what: "'package.\(kind.name).\(key)' entry", problems: &problems)
                for item in items {
                    if let problem = PackageFieldRules.dependencyProblem(item.value) {
                        problems.error("'package.\(kind.name).\(key)': \(problem)", at: item.location)
                    }
                }
                decoded.relations[key] = items.map(\.value)
            }
            settings.options[kind.name] = decoded
        }
        return settings
    }

    /// A value that must be one of `names`, with a did-you-mean when it is not.
    static func oneOf(_ text: Located<String>, _ names: [String], name: String, problems: inout Diagnostics) -> String? {
        if names.contains(text.value) { return text.value }
        let hint = Suggestion.closest(to: text.value, in: names).map { " (did you mean '\($0)'?)" }
            ?? " (expected one of: \(names.joined(separator: ", ")))"
        problems.error("'\(name)' has unknown value '\(text.value)'\(hint)", at: text.location)
        return nil
    }

    /// A value that must be one of an enum's raw values, with a did-you-mean when it is not.
    static func choice<Choice: RawRepresentable & CaseIterable>(
        _ text: Located<String>, of _: Choice.Type, name: String, problems: inout Diagnostics
    ) -> Choice? where Choice.RawValue == String {
        if let value = Choice(rawValue: text.value) { return value }
        let names = Choice.allCases.map(\.rawValue)
        let hint = Suggestion.closest(to: text.value, in: names).map { " (did you mean '\($0)'?)" }
            ?? " (expected one of: \(names.joined(separator: ", ")))"
        problems.error("'\(name)' has unknown value '\(text.value)'\(hint)", at: text.location)
        return nil
    }
}

/// Decodes a project's `health_check:` section.
enum HealthCheckSettingsDecoder {
    static func decode(_ value: YAMLValue?, problems: inout Diagnostics) -> HealthCheckSettings {
        var settings = HealthCheckSettings()
        guard let value, let map = MappingReader(value, describing: "'health_check'", path: "health_check.",
                                                 allowed: ["enabled", "allow", "exempt", "fail_on"], problems: &problems)
        else { return settings }
        if let enabled = map.bool("enabled", problems: &problems) { settings.enabled = enabled.value }
        settings.failOn = map.stringList("fail_on", problems: &problems).compactMap {
            PackageSettingsDecoder.oneOf($0, HealthCheckSettings.permissionKinds, name: "health_check.fail_on", problems: &problems)
        }
        settings.allow = map.stringList("allow", problems: &problems).map(\.value)
        guard let exempt = map.value("exempt") else { return settings }
        guard case .sequence(let items, _) = exempt else {
            problems.error("'health_check.exempt' must be a list of {path, reason} mappings, found \(exempt.kindDescription)",
                           at: exempt.location)
            return settings
        }
        for item in items {
            guard let entry = MappingReader(item, describing: "each item of 'health_check.exempt'",
                                            path: "health_check.exempt.", allowed: ["path", "reason"], problems: &problems),
                  let path = entry.string("path", required: "a health-check exemption", problems: &problems),
                  let reason = entry.string("reason", required: "a health-check exemption (say why the file may link outside)",
                                            problems: &problems)
            else { continue }
            settings.exempt.append(.init(path: path.value, reason: reason.value))
        }
        return settings
    }
}
