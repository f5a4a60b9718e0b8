import Foundation

/// Reading a definition file from disk into a located YAML tree.
enum DefinitionFile {
    static func read(path: String, displayPath: String) throws(DefinitionError) -> YAMLValue {
        try parse(try text(path: path, displayPath: displayPath), displayPath: displayPath)
    }

    static func parse(_ text: String, displayPath: String) throws(DefinitionError) -> YAMLValue {
        guard let value = try YAMLParser.parse(text, file: displayPath), !value.isNull else {
            throw DefinitionError([Diagnostic("the file is empty; expected a mapping of definition keys",
                                              at: SourceLocation(file: displayPath, line: 1, column: 1))])
        }
        return value
    }

    /// The file's text, refused unread past `DefinitionLimits.fileSize`: a definition is a few
    /// kilobytes, and parsing, checking and reporting grow with the input.
    static func text(path: String, displayPath: String) throws(DefinitionError) -> String {
        let start = SourceLocation(file: displayPath, line: 1, column: 1)
        guard let handle = FileHandle(forReadingAtPath: path),
              let data = try? handle.read(upToCount: DefinitionLimits.fileSize + 1) ?? Data() else {
            throw DefinitionError([Diagnostic("cannot read the file", at: start)])
        }
        try? handle.close()
        guard data.count <= DefinitionLimits.fileSize else {
            throw DefinitionError([Diagnostic("the file is larger than \(DefinitionLimits.fileSize / 1024 / 1024) MiB "
                                              + "(\(DefinitionLimits.fileSize) bytes), the most a definition file may be",
                                              at: start)])
        }
        guard let text = String(data: data, encoding: .utf8) else {
            throw DefinitionError([Diagnostic("the file is not UTF-8 text", at: start)])
        }
        return text
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
