import Foundation

/// What a step kind's `decode` works with: the step's name, the definition's directory and the
/// shared problem list, plus readers that remember every string so `{{variables}}` are checked
/// with exact positions.
package struct StepDecoding {
    package let kind: String
    /// The directory of the definition file; patches and templates are relative to it.
    package let directory: String
    package var problems: Diagnostics
    package private(set) var strings: [Located<String>] = []

    init(kind: String, directory: String, problems: Diagnostics) {
        self.kind = kind
        self.directory = directory
        self.problems = problems
    }

    /// A plain string body (`- run: "make check"`).
    package mutating func string(_ value: YAMLValue) -> String? {
        guard let text = TypedValue.string(value, name: kind, problems: &problems) else { return nil }
        strings.append(text)
        return text.value
    }

    /// A list of strings; absent or null is empty.
    package mutating func list(_ value: YAMLValue?, name: String) -> [String] {
        guard let value, !value.isNull else { return [] }
        let items = TypedValue.stringList(value, name: name, problems: &problems)
        strings += items
        return items.map(\.value)
    }

    /// The step's body as a mapping with only `allowed` keys.
    package mutating func fields(_ value: YAMLValue, allowed: [String]) -> MappingReader? {
        // `when` and `env` belong beside the step's name; say so instead of "unknown key".
        if case .mapping(let pairs, _) = value {
            let misplaced = pairs.filter { StepDecoder.sharedKeys.contains($0.key.text) && !allowed.contains($0.key.text) }
            for pair in misplaced { problems.error(StepDecoder.sharedKeyInBody(pair.key.text, step: kind), at: pair.key.location) }
            if !misplaced.isEmpty {
                return MappingReader(value, describing: "step '\(kind)'", path: "\(kind).", allowed: allowed + misplaced.map(\.key.text),
                                     problems: &problems)
            }
        }
        return MappingReader(value, describing: "step '\(kind)'", path: "\(kind).", allowed: allowed, problems: &problems)
    }

    /// A string field of a mapping body, required unless said otherwise.
    package mutating func field(_ map: MappingReader, _ key: String, required: Bool = true) -> String? {
        let text = map.string(key, required: required ? "step '\(kind)'" : nil, problems: &problems)
        if let text { strings.append(text) }
        return text?.value
    }

    package mutating func bool(_ map: MappingReader, _ key: String) -> Bool? {
        map.bool(key, problems: &problems)?.value
    }

    package mutating func int(_ map: MappingReader, _ key: String) -> Located<Int>? {
        map.int(key, problems: &problems)
    }

    package mutating func error(_ message: String, at location: SourceLocation?) {
        problems.error(message, at: location)
    }

    /// A file kept beside the definition (a patch, a template): it must exist now, unless its
    /// path is built from variables (then only the variables' names are checked). Returns the
    /// file's path when it exists.
    @discardableResult
    package mutating func definitionFile(_ file: Located<String>, what: String) -> String? {
        if file.value.contains("{{") {
            Interpolation.check(file, problems: &problems)
            return nil
        }
        let path = file.value.hasPrefix("/") ? file.value : directory + "/" + file.value
        guard FileManager.default.fileExists(atPath: path) else {
            let shown = Self.shownDirectory(of: file)
            problems.error("\(what) '\(file.value)' not found (paths are relative to \(shown.isEmpty ? "the definition's directory" : shown))",
                           at: file.location)
            return nil
        }
        return path
    }

    /// A template's own `{{variables}}` are checked now, with their line and column in the template.
    package mutating func checkTemplateContents(path: String, of file: Located<String>) {
        let shownAs = Self.shownDirectory(of: file) + file.value
        guard let text = try? String(contentsOfFile: path, encoding: .utf8) else {
            problems.error("template is not readable UTF-8 text", at: SourceLocation(file: shownAs, line: 1, column: 1))
            return
        }
        for (index, line) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() where line.contains("{{") {
            Interpolation.check(Located(String(line), at: SourceLocation(file: shownAs, line: index + 1, column: 1)),
                                problems: &problems)
        }
    }

    /// The definition's directory as the user sees it, for "not found" messages.
    package static func shownDirectory(of text: Located<String>) -> String {
        let directory = (text.location.file as NSString).deletingLastPathComponent
        return directory.isEmpty ? "" : directory + "/"
    }
}
