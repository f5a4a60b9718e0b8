import Foundation

/// Reading a definition file from disk into a located YAML tree.
enum DefinitionFile {
    static func read(path: String, displayPath: String) throws(DefinitionError) -> YAMLValue {
        let start = SourceLocation(file: displayPath, line: 1, column: 1)
        guard let data = FileManager.default.contents(atPath: path) else {
            throw DefinitionError([Diagnostic("cannot read the file", at: start)])
        }
        guard let text = String(data: data, encoding: .utf8) else {
            throw DefinitionError([Diagnostic("the file is not UTF-8 text", at: start)])
        }
        guard let value = try YAMLParser.parse(text, file: displayPath), !value.isNull else {
            throw DefinitionError([Diagnostic("the file is empty; expected a mapping of definition keys", at: start)])
        }
        return value
    }

    /// The definition name a file must declare: its base name without `.yml`/`.yaml`.
    static func expectedName(path: String) -> String {
        let base = (path as NSString).lastPathComponent
        for suffix in [".yml", ".yaml"] where base.hasSuffix(suffix) {
            return String(base.dropLast(suffix.count))
        }
        return base
    }

    static func checkName(_ name: Located<String>?, path: String, problems: inout Diagnostics) {
        guard let name else { return }
        let expected = expectedName(path: path)
        if name.value != expected {
            problems.error("name '\(name.value)' does not match the file name (expected '\(expected)')", at: name.location)
        }
    }
}
