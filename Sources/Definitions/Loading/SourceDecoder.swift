/// Decodes a version's `source:` mapping into one registered source kind: the kind is chosen by
/// which kind's name is a key, and decodes the rest itself.
enum SourceDecoder {
    static func decode(_ value: YAMLValue, directory: String, kinds: DefinitionKinds,
                       problems: inout Diagnostics) -> Source? {
        var allKeys: [String] = []
        for kind in kinds.sources { allKeys += kind.keys.filter { !allKeys.contains($0) } }
        guard let map = MappingReader(value, describing: "'source'", allowed: allKeys, problems: &problems) else { return nil }
        for key in allKeys where map.has(key) && map.value(key) == nil {
            problems.error("'\(key)' needs a value", at: map.key(key)!.location)
            return nil
        }
        // A kind whose name another kind also accepts as an option (url's `file`) is chosen only alone.
        let primary = kinds.sources.filter { kind in !kinds.sources.contains { $0 != kind && $0.keys.contains(kind.name) } }
        let present = primary.filter { map.has($0.name) }
        if present.count > 1 {
            problems.error("a source has exactly one of \(primary.map { $0.name }.joined(separator: ", ")); found \(present.map { $0.name }.joined(separator: " and "))",
                           at: map.location)
            return nil
        }
        guard let kind = present.first ?? kinds.sources.first(where: { map.has($0.name) }) else {
            let usages = kinds.sources.map { $0.usage }
            let list = usages.count > 1 ? usages.dropLast().joined(separator: ", ") + ", or " + usages.last! : usages.joined()
            problems.error("a source needs one of: \(list)", at: map.location)
            return nil
        }
        for key in allKeys where !kind.keys.contains(key) {
            if let located = map.key(key) {
                problems.error("'\(map.path)\(key)' does not apply to \(kind.describedAs)", at: located.location)
            }
        }
        var decoding = SourceDecoding(directory: directory, problems: problems)
        let decoded = kind.decode(map, &decoding)
        problems = decoding.problems
        return decoded.map(Source.init)
    }
}

private func != (a: any SourceKind.Type, b: any SourceKind.Type) -> Bool { ObjectIdentifier(a) != ObjectIdentifier(b) }
