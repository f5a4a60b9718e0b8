import Foundation
import Yams

/// Turns YAML text into a located `YAMLValue`, reporting syntax errors with their position.
package enum YAMLParser {
    package static func parse(_ text: String, file: String) throws(DefinitionError) -> YAMLValue? {
        let node: Node?
        do {
            node = try Yams.compose(yaml: text)
        } catch let error as YamlError {
            throw DefinitionError([syntaxDiagnostic(error, file: file)])
        } catch {
            throw DefinitionError([Diagnostic("YAML syntax error: \(error)", at: SourceLocation(file: file, line: 1, column: 1))])
        }
        guard let node else { return nil }
        var problems = Diagnostics()
        let value = convert(node, file: file, problems: &problems)
        try problems.throwIfAny()
        return value
    }

    private static func convert(_ node: Node, file: String, problems: inout Diagnostics) -> YAMLValue {
        func location(_ mark: Mark?) -> SourceLocation {
            SourceLocation(file: file, line: mark?.line ?? 1, column: mark?.column ?? 1)
        }
        switch node {
        case .scalar(let scalar):
            return .scalar(scalar.string, quoted: scalar.style != .plain && scalar.style != .any,
                           location(scalar.mark))
        case .mapping(let mapping):
            var pairs: [(key: YAMLKey, value: YAMLValue)] = []
            for (keyNode, valueNode) in mapping {
                let keyValue = convert(keyNode, file: file, problems: &problems)
                guard case .scalar(let text, _, let keyLocation) = keyValue else {
                    problems.error("a mapping key must be a plain name, found \(keyValue.kindDescription)",
                                   at: keyValue.location)
                    continue
                }
                pairs.append((YAMLKey(text, at: keyLocation), convert(valueNode, file: file, problems: &problems)))
            }
            return .mapping(pairs, location(mapping.mark))
        case .sequence(let sequence):
            return .sequence(sequence.map { convert($0, file: file, problems: &problems) }, location(sequence.mark))
        case .alias(let alias):
            // Yams resolves aliases while composing; an unresolved one is reported, not guessed at.
            problems.error("unresolved YAML alias '\(alias.anchor)'", at: location(alias.mark))
            return .scalar("", quoted: false, location(alias.mark))
        }
    }

    /// The next line at the same indentation that starts with `key:`, if there is one.
    static func repeatedKeyLocation(_ key: String, after mark: Mark, in text: String) -> (line: Int, column: Int)? {
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false)
        guard mark.line < lines.count else { return nil }
        let indent = mark.column - 1
        for index in mark.line..<lines.count {
            let line = lines[index]
            guard line.count > indent, line.prefix(indent).allSatisfy({ $0 == " " || $0 == "-" }) else { continue }
            let rest = line.dropFirst(indent)
            for form in [key, "\"\(key)\"", "'\(key)'"] where rest.hasPrefix(form) {
                if rest.dropFirst(form.count).drop(while: { $0 == " " }).hasPrefix(":") {
                    return (index + 1, mark.column)
                }
            }
        }
        return nil
    }

    private static func syntaxDiagnostic(_ error: YamlError, file: String) -> Diagnostic {
        func at(_ mark: Mark) -> SourceLocation { SourceLocation(file: file, line: mark.line, column: mark.column) }
        switch error {
        case .scanner(let context, let problem, let mark, _),
             .parser(let context, let problem, let mark, _),
             .composer(let context, let problem, let mark, _):
            let while_ = context.map { " (\($0.text) at \($0.mark.line):\($0.mark.column))" } ?? ""
            return Diagnostic("YAML syntax error: \(problem)\(while_)", at: at(mark))
        case .duplicatedKeysInMapping(let duplicates, let context):
            // Yams marks the first occurrence; the repeat is what the user needs to look at.
            let first = context.mark
            let key = duplicates.first ?? ""
            let repeatAt = repeatedKeyLocation(key, after: first, in: context.text)
            return Diagnostic("duplicate key '\(key)' (first at \(first.line):\(first.column)); each key may appear once in a mapping",
                              at: repeatAt.map { SourceLocation(file: file, line: $0.line, column: $0.column) } ?? at(first))
        case .reader(let problem, _, _, _):
            return Diagnostic("cannot read the file as UTF-8 text: \(problem)", at: SourceLocation(file: file, line: 1, column: 1))
        default:
            return Diagnostic("YAML error: \(error)", at: SourceLocation(file: file, line: 1, column: 1))
        }
    }
}
