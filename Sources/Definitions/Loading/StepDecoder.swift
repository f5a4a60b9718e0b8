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
            if case .scalar(let text, _, _) = item, names.contains(text) {
                problems.error("a build step is a mapping: write '- \(text): []' (or with arguments), not '- \(text)'",
                               at: item.location)
            } else {
                problems.error("each build step must be a mapping with exactly one of: \(names.joined(separator: ", ")); found \(item.kindDescription)",
                               at: item.location)
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
        return step.map { Located(BuildStep($0), at: location) }
    }
}
