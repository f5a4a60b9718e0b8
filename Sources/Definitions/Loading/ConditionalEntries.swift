/// The entries of definitions that may carry a `when:`: `dependencies:` items and
/// `default_version` choices in software and projects, and a project's `flags:`.
enum ConditionalEntries {
    /// `dependencies: [zlib, {name: openssl, when: {...}}]`: every name, as written, and the
    /// condition of the names that have one.
    static func dependencies(_ map: MappingReader, problems: inout Diagnostics) -> (names: [Located<String>], conditions: [String: Condition]) {
        guard let value = map.value("dependencies") else { return ([], [:]) }
        guard case .sequence(let items, _) = value else {
            problems.error("'\(map.path)dependencies' must be a list of strings, found \(value.kindDescription)", at: value.location)
            return ([], [:])
        }
        var names: [Located<String>] = []
        var conditions: [String: Condition] = [:]
        for item in items {
            if case .mapping = item {
                guard let entry = MappingReader(item, describing: "a dependency", path: "dependencies.", allowed: ["name", "when"],
                                                problems: &problems),
                      let name = entry.string("name", required: "a dependency with a condition", problems: &problems)
                else { continue }
                names.append(name)
                guard let when = entry.value("when") else {
                    problems.error("dependency '\(name.value)' is written as a mapping but has no 'when'; write it as a plain name", at: item.location)
                    continue
                }
                if let condition = ConditionDecoder.decode(when, path: "dependencies.when", problems: &problems) {
                    conditions[name.value] = condition
                }
            } else if case .scalar = item, !item.isNull {
                if let name = TypedValue.string(item, name: "dependencies", problems: &problems) { names.append(name) }
            } else {
                problems.error("each item of 'dependencies' must be a name or {name: ..., when: ...}, found \(item.kindDescription)",
                               at: item.location)
            }
        }
        return (names, conditions)
    }

    /// `default_version: "1.3"`, or a list of `{version: ..., when: ...}` choices ending with the
    /// plain version used when none holds. Returns that fallback and the choices.
    static func defaultVersion(_ map: MappingReader, problems: inout Diagnostics) -> (fallback: Located<String>?, choices: [VersionChoice]) {
        let what = "the software"
        guard let value = map.value("default_version") else {
            map.missing("default_version", in: what, problems: &problems)
            return (nil, [])
        }
        guard case .sequence(let items, _) = value else {
            return (TypedValue.string(value, name: "default_version", problems: &problems), [])
        }
        var choices: [VersionChoice] = []
        var fallback: Located<String>?
        for (index, item) in items.enumerated() {
            if case .mapping = item {
                guard let entry = MappingReader(item, describing: "a 'default_version' choice", path: "default_version.",
                                                allowed: ["version", "when"], problems: &problems),
                      let version = entry.string("version", required: "a 'default_version' choice", problems: &problems)
                else { continue }
                guard let when = entry.value("when") else {
                    entry.missing("when", in: "a 'default_version' choice (the last item, a plain version, is the one used otherwise)",
                                  problems: &problems)
                    continue
                }
                if let condition = ConditionDecoder.decode(when, path: "default_version.when", problems: &problems) {
                    choices.append(VersionChoice(version: version, condition: condition))
                }
            } else if index == items.count - 1 {
                fallback = TypedValue.string(item, name: "default_version", problems: &problems)
            } else {
                problems.error("only the last item of 'default_version' may be a plain version (the one used when no 'when' holds); write {version: ..., when: ...}",
                               at: item.location)
            }
        }
        if fallback == nil, let last = items.last, case .mapping = last {
            problems.error("'default_version' must end with a plain version, used when no choice's 'when' holds", at: last.location)
        } else if items.isEmpty {
            problems.error("'default_version' must name a version", at: value.location)
        }
        return (fallback, choices)
    }

    /// `flags: [{name: ssl, description: ..., default: true}]`.
    static func flags(_ map: MappingReader, problems: inout Diagnostics) -> [ProjectFlag] {
        guard let value = map.value("flags") else { return [] }
        guard case .sequence(let items, _) = value else {
            problems.error("'flags' must be a list of {name, description, default}, found \(value.kindDescription)", at: value.location)
            return []
        }
        var flags: [ProjectFlag] = []
        for item in items {
            guard let entry = MappingReader(item, describing: "a flag", path: "flags.", allowed: ["name", "description", "default"],
                                            problems: &problems),
                  let name = entry.string("name", required: "a flag", problems: &problems) else { continue }
            if !ConditionDecoder.isFlagName(name.value) {
                problems.error("'flags.name': '\(name.value)' is not a flag name (letters, digits, '-' and '_')", at: name.location)
            }
            if let first = flags.first(where: { $0.name == name.value }) {
                problems.error("flag '\(name.value)' is declared twice (first at \(first.location.line):\(first.location.column))",
                               at: name.location)
                continue
            }
            flags.append(ProjectFlag(name: name.value, description: entry.string("description", problems: &problems)?.value ?? "",
                                     defaultOn: entry.bool("default", problems: &problems)?.value ?? false, location: name.location))
        }
        return flags
    }
}
