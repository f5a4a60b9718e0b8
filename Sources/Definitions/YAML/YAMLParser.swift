import Foundation
import Yams

/// Turns YAML text into a located `YAMLValue`, reporting syntax errors with their position.
package enum YAMLParser {
    /// Throws every syntax error, the first alias or value past `DefinitionLimits`, and every
    /// string holding a NUL.
    package static func parse(_ text: String, file: String) throws(DefinitionError) -> YAMLValue? {
        let root: Node?
        if let masked = try AliasMask(text, file: file) {
            // Composing the original expands its aliases (see ExpansionBudget); the masked copy
            // has none, so it is measured first.
            let (maskedRoot, parser) = try compose(masked.text, file: file)
            if let maskedRoot { try ExpansionBudget.check(maskedRoot, marker: masked.marker, file: file) }
            // The anchor names on the masked nodes live only as long as their parser.
            withExtendedLifetime(parser) {}
            root = try compose(text, file: file).root
        } else {
            root = try compose(text, file: file).root
            if let root { try ExpansionBudget.check(root, marker: nil, file: file) }
        }
        guard let root else { return nil }
        var problems = Diagnostics()
        let value = convert(root, file: file, problems: &problems)
        try problems.throwIfAny()
        return value
    }

    private static func compose(_ text: String, file: String) throws(DefinitionError) -> (root: Node?, parser: Parser) {
        do {
            let parser = try Parser(yaml: text)
            return (try parser.singleRoot(), parser)
        } catch let error as YamlError {
            throw DefinitionError([syntaxDiagnostic(error, file: file)])
        } catch {
            throw DefinitionError([Diagnostic("YAML syntax error: \(error)", at: SourceLocation(file: file, line: 1, column: 1))])
        }
    }

    private static func convert(_ node: Node, file: String, problems: inout Diagnostics) -> YAMLValue {
        func location(_ mark: Mark?) -> SourceLocation {
            SourceLocation(file: file, line: mark?.line ?? 1, column: mark?.column ?? 1)
        }
        switch node {
        case .scalar(let scalar):
            let value = YAMLValue.scalar(scalar.string, quoted: scalar.style != .plain && scalar.style != .any,
                                         location(scalar.mark))
            // Commands and environment values reach the system as C strings, which end at a NUL:
            // the rest of the value would be dropped without a word.
            if scalar.string.unicodeScalars.contains("\u{0}") {
                problems.error("\(value.kindDescription) contains a NUL character (\\u{0}); no definition string may, "
                               + "as a command or environment value would silently end at it", at: value.location)
            }
            return value
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

    /// The 1-based line and column (in characters) of a byte offset of `text`.
    static func position(ofByte offset: Int, in text: String) -> (line: Int, column: Int) {
        var line = 1, column = 1
        for scalar in String(decoding: text.utf8.prefix(offset), as: UTF8.self).unicodeScalars {
            if scalar == "\n" { (line, column) = (line + 1, 1) } else { column += 1 }
        }
        return (line, column)
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
        case .reader(let problem, let offset, let value, let text):
            // libyaml's reader refuses control characters such as a raw NUL; it gives a byte offset.
            let (line, column) = offset.map { position(ofByte: $0, in: text) } ?? (1, 1)
            let found = Unicode.Scalar(UInt32(bitPattern: value)).map { " (found '\(Character($0))')" } ?? ""
            return Diagnostic("YAML syntax error: \(problem)\(found)", at: SourceLocation(file: file, line: line, column: column))
        default:
            return Diagnostic("YAML error: \(error)", at: SourceLocation(file: file, line: 1, column: 1))
        }
    }
}
