/// How problems are printed: in the order given, at most `DefinitionLimits.problemsShown` of
/// them, then one line for the rest, so a broken file cannot flood the terminal or a CI log.
package enum ProblemList {
    /// - Parameter total: every problem found, including those never kept.
    package static func lines(_ diagnostics: [Diagnostic], total: Int) -> [String] {
        var lines = diagnostics.prefix(DefinitionLimits.problemsShown).map(\.description)
        let rest = total - lines.count
        if rest > 0 { lines.append("and \(rest) more problem\(rest == 1 ? "" : "s")") }
        return lines
    }
}
