/// Decodes `build:` lists. Each step is a mapping whose one step name is its key; the step table
/// says which names exist and each kind decodes its own body. Beside the name, every step may
/// carry the shared keys `when:` (a condition) and `env:` (variables for that step only); they
/// are decoded here, once, so no step kind knows about them.
enum StepDecoder {
    /// Keys every step accepts beside its name.
    static let sharedKeys = ["when", "env"]

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
        guard case .mapping(let allPairs, let location) = item, !allPairs.isEmpty else {
            if case .scalar(let text, _, _) = item, names.contains(text) {
                problems.error("a build step is a mapping: write '- \(text): []' (or with arguments), not '- \(text)'",
                               at: item.location)
            } else {
                problems.error("each build step must be a mapping with exactly one of: \(names.joined(separator: ", ")); found \(item.kindDescription)",
                               at: item.location)
            }
            return nil
        }
        let pairs = allPairs.filter { !sharedKeys.contains($0.key.text) }
        guard pairs.count == 1, let (key, value) = pairs.first else {
            if pairs.isEmpty {
                problems.error("a step with '\(allPairs[0].key.text)' but no step: add one of \(names.joined(separator: ", ")) beside it",
                               at: location)
            } else {
                reportKeysBeside(pairs, stepNames: names, problems: &problems)
            }
            return nil
        }
        guard let kind = kinds.step(named: key.text) else {
            let hint = Suggestion.closest(to: key.text, in: names).map { " (did you mean '\($0)'?)" }
                ?? " (expected one of: \(names.joined(separator: ", ")))"
            problems.error("unknown build step '\(key.text)'\(hint)", at: key.location)
            return nil
        }
        var decoding = StepDecoding(kind: key.text, directory: directory, problems: problems)
        let step = kind.decode(value, &decoding)
        for string in decoding.strings { Interpolation.check(string, problems: &decoding.problems) }
        problems = decoding.problems
        let condition = allPairs.first { $0.key.text == "when" }.flatMap { pair in
            pair.value.isNull ? nil : ConditionDecoder.decode(pair.value, path: "\(key.text).when", problems: &problems)
        }
        let env = allPairs.first { $0.key.text == "env" }.map { pair in
            SoftwareLoader.decodeEnv(pair.value, name: "\(key.text).env", problems: &problems)
        } ?? []
        return step.map { Located(BuildStep($0, env: env, condition: condition), at: location) }
    }

    /// Said when `when:` or `env:` is written inside a step's body instead of beside its name.
    static func sharedKeyInBody(_ key: String, step: String) -> String {
        "'\(key)' goes beside the step's name, not inside its body: write '- \(step): ...' and '\(key):' under it at the same indentation as '\(step)'"
    }

    /// A list item with several keys: usually a step with an option written beside its name,
    /// or a mapping body that lost its indentation. Each key that is not the step is reported
    /// where it stands, saying what is wrong with it.
    private static func reportKeysBeside(_ pairs: [(key: YAMLKey, value: YAMLValue)], stepNames names: [String],
                                         problems: inout Diagnostics) {
        let steps = pairs.filter { names.contains($0.key.text) }
        guard let step = steps.first else {
            for (key, _) in pairs {
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
            let shared = Suggestion.closest(to: key.text, in: sharedKeys).map { " (did you mean '\($0)'?)" } ?? ""
            problems.error("'\(key.text)' is not a step option\(shared): beside the step's name a step accepts only \(sharedKeys.joined(separator: " and ")); "
                           + "if '\(key.text)' belongs to '\(step.key.text)', indent it under '\(step.key.text):'",
                           at: key.location)
        }
    }
}
