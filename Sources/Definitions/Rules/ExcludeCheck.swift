/// Exclude patterns that would leave a package empty, caught when definitions are checked.
enum ExcludeCheck {
    /// A pattern that matches any top-level name removes every entry below the install dir
    /// (`**`, `*`, `./*`): such a package could only be empty. Read exactly as packaging reads it.
    static func excludesEverything(_ pattern: String) -> Bool {
        let exclude = ExcludePattern(pattern)
        return ["bin", "embedded", "x-omnibus-probe", "LICENSE"].allSatisfy(exclude.matches)
    }
}
