/// Decodes `when:` mappings (on steps, dependencies and `default_version` choices), reporting
/// unknown keys, families, architectures and malformed version comparisons where they stand.
/// Whether the flags a condition tests exist is checked against the project that uses the
/// software (`GraphResolver`), since a software does not know its project.
enum ConditionDecoder {
    static let keys = ["platform_family", "platform", "platform_version", "architecture", "with", "without", "not"]

    static func decode(_ value: YAMLValue, path: String, problems: inout Diagnostics) -> Condition? {
        // A list of conditions holds when one does: OR across keys (`platform: debian-12` or
        // `architecture: arm64`), which one mapping cannot say.
        if case .sequence(let items, _) = value {
            if items.isEmpty { problems.error("'\(path)' must list at least one condition", at: value.location) }
            let alternatives = items.compactMap { decode($0, path: path, problems: &problems) }
            return alternatives.count == items.count && !items.isEmpty ? .any(alternatives) : nil
        }
        guard let map = MappingReader(value, describing: "'\(path)' (a condition)", path: path + ".", allowed: keys,
                                      problems: &problems) else { return nil }
        if map.pairs.isEmpty {
            problems.error("'\(path)' must test something: \(keys.joined(separator: ", "))", at: value.location)
            return nil
        }
        var tests: [Condition] = []
        for (key, item) in map.pairs where keys.contains(key.text) {
            let name = path + "." + key.text
            if key.text == "not" {
                if let inner = decode(item, path: name, problems: &problems) { tests.append(.not(inner)) }
                continue
            }
            let values = scalars(item, name: name, problems: &problems)
            guard !values.isEmpty else { continue }
            switch key.text {
            case "platform_family":
                for family in values where !ConditionFacts.knownFamilies.contains(family.value) {
                    problems.error(unknown("platform family", family.value, name: name, known: ConditionFacts.knownFamilies),
                                   at: family.location)
                }
                tests.append(.platformFamily(values.map(\.value)))
            case "platform":
                for platform in values where !looksLikePlatformName(platform.value) {
                    let known = TargetPlatform.known.map(\.name)
                    let hint = Suggestion.closest(to: platform.value, in: known).map { " (did you mean '\($0)'?)" } ?? ""
                    problems.error("'\(name)': '\(platform.value)' is not a platform name such as \(known.joined(separator: " or "))\(hint)",
                                   at: platform.location)
                }
                tests.append(.platform(values.map(\.value)))
            case "platform_version":
                var comparisons: [VersionComparison] = []
                for text in values {
                    guard let comparison = VersionComparison(text.value) else {
                        problems.error("'\(name)': '\(text.value)' is not a version comparison; write a version such as \"12\" or \"12.4\", optionally after one of \(VersionComparison.Operator.allCases.map(\.rawValue).joined(separator: " ")) (\">= 12\")",
                                       at: text.location)
                        continue
                    }
                    comparisons.append(comparison)
                }
                tests.append(.platformVersion(comparisons))
            case "architecture":
                var names: [String] = []
                for architecture in values {
                    guard let canonical = ConditionFacts.canonicalArchitecture(architecture.value) else {
                        problems.error(unknown("architecture", architecture.value, name: name, known: ConditionFacts.knownArchitectures),
                                       at: architecture.location)
                        continue
                    }
                    names.append(canonical)
                }
                tests.append(.architecture(names))
            case "with", "without":
                for flag in values where !isFlagName(flag.value) {
                    problems.error("'\(name)': '\(flag.value)' is not a flag name (letters, digits, '-' and '_')", at: flag.location)
                }
                tests.append(key.text == "with" ? .with(values) : .without(values))
            default:
                break
            }
        }
        return tests.count == 1 ? tests[0] : .all(tests)
    }

    /// The `when:` of a mapping that may carry one (a step item, a dependency, a version choice).
    static func decodeWhen(_ map: MappingReader, path: String, problems: inout Diagnostics) -> Condition? {
        map.value("when").flatMap { decode($0, path: path.isEmpty ? "when" : path + ".when", problems: &problems) }
    }

    /// One value or a list of values (ORed); numbers are read as text (`platform_version: 12`).
    private static func scalars(_ value: YAMLValue, name: String, problems: inout Diagnostics) -> [Located<String>] {
        if case .sequence = value {
            let items = TypedValue.stringList(value, name: name, problems: &problems)
            if items.isEmpty { problems.error("'\(name)' must list at least one value", at: value.location) }
            return items
        }
        return TypedValue.string(value, name: name, problems: &problems).map { [$0] } ?? []
    }

    private static func unknown(_ what: String, _ value: String, name: String, known: [String]) -> String {
        let hint = Suggestion.closest(to: value, in: known).map { " (did you mean '\($0)'?)" } ?? ""
        return "'\(name)': unknown \(what) '\(value)'\(hint); known: \(known.joined(separator: ", "))"
    }

    /// `<id>-<version>`, like `debian-12` or `ubuntu-24.04`: the host's platform need not be one
    /// this tool makes roots for.
    static func looksLikePlatformName(_ name: String) -> Bool {
        guard let dash = name.lastIndex(of: "-") else { return false }
        let id = name[..<dash], version = name[name.index(after: dash)...]
        return ConditionFacts.knownFamilies.contains(String(id)) && VersionComparison.parts(String(version)) != nil
    }

    static func isFlagName(_ name: String) -> Bool {
        !name.isEmpty && name.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "-" || $0 == "_") }
    }
}
