/// One problem found in the definitions, located where the user wrote it.
package struct Diagnostic: Sendable, Hashable, CustomStringConvertible, Comparable {
    package let location: SourceLocation?
    package let message: String

    /// The message is kept escaped (`DisplayText`): nearly every message quotes something the
    /// user wrote, and escaping here covers every one of them, whichever module words it.
    package init(_ message: String, at location: SourceLocation?) {
        self.location = location
        self.message = DisplayText.escaped(message)
    }

    package var description: String {
        guard let location else { return message }
        return "\(location): \(message)"
    }

    package static func < (a: Diagnostic, b: Diagnostic) -> Bool {
        switch (a.location, b.location) {
        case let (l?, r?): l == r ? a.message < b.message : l < r
        case (nil, _?): false
        case (_?, nil): true
        case (nil, nil): a.message < b.message
        }
    }
}

/// Problems a check found after it had kept `DefinitionLimits.problemsKept`: counted, not kept.
/// Hashable so that the same error reported twice (a software definition reached from two
/// projects) is counted once, as its listed problems are.
package struct OmittedProblems: Sendable, Hashable {
    /// The file the problems are in; nil for problems without a position.
    package let file: String?
    package let count: Int
}

/// Every problem found while loading or checking definitions, reported together.
package struct DefinitionError: Error, Sendable, CustomStringConvertible {
    package let diagnostics: [Diagnostic]
    package let omitted: Set<OmittedProblems>

    package init(_ diagnostics: [Diagnostic], omitted: Set<OmittedProblems> = []) {
        self.diagnostics = diagnostics
        self.omitted = omitted
    }

    /// Every problem found, listed or only counted.
    package var problemCount: Int { diagnostics.count + omitted.reduce(0) { $0 + $1.count } }

    package var description: String {
        ProblemList.lines(diagnostics, total: problemCount).joined(separator: "\n")
    }
}

/// Collects problems instead of stopping at the first, so one run of `validate` shows them all
/// (up to `DefinitionLimits.problemsKept` found here; problems merged from elsewhere were
/// already bounded where they were found).
package struct Diagnostics: Sendable {
    package private(set) var all: [Diagnostic] = []
    private var kept = 0
    private var omittedHere: [String?: Int] = [:]
    private var omittedElsewhere: Set<OmittedProblems> = []

    package init() {}

    package var isEmpty: Bool { all.isEmpty && omittedHere.isEmpty && omittedElsewhere.isEmpty }

    /// Problems found but not kept, by file.
    package var omitted: Set<OmittedProblems> {
        omittedElsewhere.union(omittedHere.map { OmittedProblems(file: $0.key, count: $0.value) })
    }

    /// The message is only worded while problems are still kept: a file with a million mistakes
    /// must not cost a million did-you-mean searches.
    package mutating func error(_ message: @autoclosure () -> String, at location: SourceLocation?) {
        guard kept < DefinitionLimits.problemsKept else {
            omittedHere[location?.file, default: 0] += 1
            return
        }
        kept += 1
        all.append(Diagnostic(message(), at: location))
    }

    package mutating func append(contentsOf other: Diagnostics) {
        all.append(contentsOf: other.all)
        omittedElsewhere.formUnion(other.omitted)
    }

    package mutating func append(contentsOf diagnostics: [Diagnostic]) {
        all.append(contentsOf: diagnostics)
    }

    package mutating func append(contentsOf error: DefinitionError) {
        all.append(contentsOf: error.diagnostics)
        omittedElsewhere.formUnion(error.omitted)
    }

    /// Throws the collected problems, sorted by location and without repeats.
    package func throwIfAny() throws(DefinitionError) {
        guard !isEmpty else { return }
        throw DefinitionError(Array(Set(all)).sorted(), omitted: omitted)
    }
}
