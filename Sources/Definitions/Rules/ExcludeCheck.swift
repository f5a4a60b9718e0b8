import Globbing

/// Exclude patterns that would leave a package empty, caught when definitions are checked.
enum ExcludeCheck {
    /// A pattern that matches any top-level name removes every entry below the install dir
    /// (`**`, `*`, `./*`): such a package could only be empty.
    static func excludesEverything(_ pattern: String) -> Bool {
        var text = Substring(pattern)
        while text.hasPrefix("./") { text = text.dropFirst(2) }
        while text.hasPrefix("/") { text = text.dropFirst() }
        while text.count > 1 && text.hasSuffix("/") { text = text.dropLast() }
        let glob = Glob(String(text))
        return ["bin", "embedded", "x-omnibus-probe", "LICENSE"].allSatisfy(glob.matches)
    }
}
