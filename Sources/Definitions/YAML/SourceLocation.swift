/// Where in a definition file something was written, for error messages.
package struct SourceLocation: Sendable, Hashable, CustomStringConvertible, Comparable {
    /// The file as shown to the user (relative to the packaging repo when inside it).
    package let file: String
    /// 1-based line.
    package let line: Int
    /// 1-based column, counted in Unicode scalars as libyaml does.
    package let column: Int

    package init(file: String, line: Int, column: Int) {
        self.file = file
        self.line = line
        self.column = column
    }

    /// The file name is escaped like any user text in a message (`DisplayText`).
    package var description: String { "\(DisplayText.escaped(file)):\(line):\(column)" }

    /// The location `offset` scalars further along the same line.
    package func advanced(by offset: Int) -> SourceLocation {
        SourceLocation(file: file, line: line, column: column + offset)
    }

    package static func < (a: SourceLocation, b: SourceLocation) -> Bool {
        (a.file, a.line, a.column) < (b.file, b.line, b.column)
    }
}
