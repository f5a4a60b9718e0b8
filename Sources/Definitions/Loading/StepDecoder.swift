/// Decodes `build:` lists. Each step is a mapping with exactly one step name as its key; the
/// step table says which names exist and each kind decodes its own body.
enum StepDecoder {
    static func decodeList(_ value: YAMLValue?, name: String, directory: String, kinds: DefinitionKinds,
                           problems: inout Diagnostics) -> [Located<BuildStep>] {
        guard let value else { return [] }
        guard case .sequence(let items, _) = value else {
            problems.error("'\(name)' must be a list of steps, found \(value.kindDescription)", at: value.location)
            return []
        }
        return items.compactMap { decodeStep($0, directory: directory, kinds: kinds, problems: &problems) }
    }

    static func decodeStep(_ item: YAMLValue, directory: String, kinds: DefinitionKinds,
                           problems: inout Diagnostics) -> Located<BuildStep>? {
        let names = kinds.stepNames
        guard case .mapping(let pairs, let location) = item, pairs.count == 1, let (key, value) = pairs.first else {
            if case .mapping(let pairs, _) = item, !pairs.isEmpty {
                reportKeysBeside(pairs, stepNames: names, problems: &problems)
            } else if case .scalar(let text, _, _) = item, names.contains(text) {
                problems.error("a build step is a mapping: write '- \(text): []' (or with arguments), not '- \(text)'",
                               at: item.location)
            } else {
                problems.error("each build step must be a mapping with exactly one of: \(names.joined(separator: ", ")); found \(item.kindDescription)",
                               at: item.location)
            }
            return nil
        }
        guard let kind = kinds.step(named: key.text) else {
            if key.text == "when" {
                problems.error(conditionalStep, at: key.location)
                return nil
            }
            let hint = Suggestion.closest(to: key.text, in: names).map { " (did you mean '\($0)'?)" }
                ?? " (expected one of: \(names.joined(separator: ", ")))"
            problems.error("unknown build step '\(key.text)'\(hint)", at: key.location)
            return nil
        }
        var decoding = StepDecoding(kind: key.text, directory: directory, problems: problems)
        let step = kind.decode(value, &decoding)
        for string in decoding.strings { Interpolation.check(string, problems: &decoding.problems) }
        problems = decoding.problems
        return step.map { Located(BuildStep($0), at: location) }
    }

    /// `when` is the key users reach for first; say plainly that it does not exist yet.
    static let conditionalStep = "'when' is not a step option (steps cannot be conditional yet; see docs/definitions.md, \"Build steps\")"

    /// A list item with several keys: usually a step with an option written beside its name
    /// (`- run: make` then `  when: ...`), or a mapping body that lost its indentation. Each key
    /// that is not the step is reported where it stands, saying what is wrong with it.
    private static func reportKeysBeside(_ pairs: [(key: YAMLKey, value: YAMLValue)], stepNames names: [String],
                                         problems: inout Diagnostics) {
        let steps = pairs.filter { names.contains($0.key.text) }
        guard let step = steps.first else {
            for (key, _) in pairs {
                if key.text == "when" {
                    problems.error(conditionalStep, at: key.location)
                    continue
                }
                let hint = Suggestion.closest(to: key.text, in: names).map { " (did you mean '\($0)'?)" }
                    ?? " (expected one of: \(names.joined(separator: ", ")))"
                problems.error("unknown build step '\(key.text)'\(hint)", at: key.location)
            }
            return
        }
        for other in steps.dropFirst() {
            problems.error("two steps in one list item ('\(step.key.text)' and '\(other.key.text)'): start each step with its own '- '",
                           at: other.key.location)
        }
        for (key, _) in pairs where !names.contains(key.text) {
            if key.text == "when" {
                problems.error(conditionalStep, at: key.location)
            } else {
                problems.error("'\(key.text)' is not a step option: a step is a mapping with exactly one key, the step's name; "
                               + "if '\(key.text)' belongs to '\(step.key.text)', indent it under '\(step.key.text):'",
                               at: key.location)
            }
        }
    }
}
