import Globbing

/// An `exclude` pattern, matched against paths relative to the install dir: the health check's
/// `Glob` language (`*`, `?`, `**`, `**/`, `[abc]`, `[a-z]`, `[!x]`), with a leading `/` or `./`
/// and a trailing `/` ignored.
package struct ExcludePattern: Sendable {
    package let pattern: String
    private let glob: Glob

    package init(_ pattern: String) {
        self.pattern = pattern
        var text = Substring(pattern)
        while text.hasPrefix("./") { text = text.dropFirst(2) }
        while text.hasPrefix("/") { text = text.dropFirst() }
        while text.count > 1 && text.hasSuffix("/") { text = text.dropLast() }
        glob = Glob(String(text))
    }

    /// Whether the pattern matches the whole of `path` (relative, no leading `/`).
    package func matches(_ path: String) -> Bool {
        glob.matches(path)
    }
}
