/// Decodes a project's `package:` section.
enum PackageSettingsDecoder {
    static func decode(_ value: YAMLValue?, problems: inout Diagnostics) -> PackageSettings {
        var settings = PackageSettings()
        guard let value, let map = MappingReader(value, describing: "'package'", path: "package.",
                                                 allowed: ["formats", "user", "group", "deb", "rpm", "tar"],
                                                 problems: &problems) else { return settings }
        if map.has("formats") {
            let formats = map.stringList("formats", problems: &problems)
            ProjectLoader.reportDuplicates(formats, what: "format", problems: &problems)
            settings.formats = formats.compactMap { choice($0, of: PackageSettings.Format.self, name: "package.formats", problems: &problems) }
            if formats.isEmpty {
                problems.error("'package.formats' must name at least one of: deb, rpm, tar", at: map.value("formats")?.location)
            }
        }
        if let user = map.string("user", problems: &problems) { settings.user = user.value }
        if let group = map.string("group", problems: &problems) { settings.group = group.value }
        if let deb = map.value("deb"), let options = MappingReader(deb, describing: "'package.deb'", path: "package.deb.",
                                                                   allowed: ["compression", "section", "priority"],
                                                                   problems: &problems) {
            if let compression = compression(options, problems: &problems) { settings.deb.compression = compression }
            if let section = options.string("section", problems: &problems) { settings.deb.section = section.value }
            if let priority = options.string("priority", problems: &problems) { settings.deb.priority = priority.value }
        }
        if let rpm = map.value("rpm"), let options = MappingReader(rpm, describing: "'package.rpm'", path: "package.rpm.",
                                                                   allowed: ["compression", "vendor", "group"],
                                                                   problems: &problems) {
            if let compression = compression(options, problems: &problems) { settings.rpm.compression = compression }
            settings.rpm.vendor = options.string("vendor", problems: &problems)?.value
            if let group = options.string("group", problems: &problems) { settings.rpm.group = group.value }
        }
        if let tar = map.value("tar"), let options = MappingReader(tar, describing: "'package.tar'", path: "package.tar.",
                                                                   allowed: ["compression"], problems: &problems) {
            if let compression = compression(options, problems: &problems) { settings.tar.compression = compression }
        }
        return settings
    }

    private static func compression(_ map: MappingReader, problems: inout Diagnostics) -> PackageSettings.Compression? {
        map.string("compression", problems: &problems).flatMap {
            choice($0, of: PackageSettings.Compression.self, name: map.path + "compression", problems: &problems)
        }
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
                                                 allowed: ["enabled", "allow", "exempt"], problems: &problems)
        else { return settings }
        if let enabled = map.bool("enabled", problems: &problems) { settings.enabled = enabled.value }
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
