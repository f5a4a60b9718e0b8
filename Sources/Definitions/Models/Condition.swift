/// A `when:` condition. Every test in one `when:` must hold (AND); a test given a list of values
/// holds when one of them does (OR). Conditions are evaluated once, against `ConditionFacts`,
/// before the graph is built: what they exclude is not part of the build at all.
package indirect enum Condition: Sendable {
    case all([Condition])
    /// `when:` written as a list of mappings: one of them holds.
    case any([Condition])
    /// `platform_family: debian`: the platform's distribution or one it derives from.
    case platformFamily([String])
    /// `platform: debian-12`.
    case platform([String])
    /// `platform_version: ">= 12"`.
    case platformVersion([VersionComparison])
    /// `architecture: x86_64` (stored as `ConditionFacts.canonicalArchitecture` names).
    case architecture([String])
    /// `with: feature`: one of the flags is on.
    case with([Located<String>])
    /// `without: feature`: one of the flags is off.
    case without([Located<String>])
    case not(Condition)

    package func holds(for facts: ConditionFacts) -> Bool {
        switch self {
        case .all(let tests): tests.allSatisfy { $0.holds(for: facts) }
        case .any(let alternatives): alternatives.contains { $0.holds(for: facts) }
        case .platformFamily(let names): names.contains { facts.families.contains($0) }
        case .platform(let names): names.contains(facts.platform)
        case .platformVersion(let comparisons): comparisons.contains { $0.holds(for: facts.version) }
        case .architecture(let names): names.contains(facts.architecture)
        case .with(let flags): flags.contains { facts.flags.contains($0.value) }
        case .without(let flags): flags.contains { !facts.flags.contains($0.value) }
        case .not(let condition): !condition.holds(for: facts)
        }
    }

    /// Every flag the condition tests, where it is written (to check the project declares them).
    package var flagReferences: [Located<String>] {
        switch self {
        case .all(let tests), .any(let tests): tests.flatMap(\.flagReferences)
        case .with(let flags), .without(let flags): flags
        case .not(let condition): condition.flagReferences
        case .platformFamily, .platform, .platformVersion, .architecture: []
        }
    }

    /// Which facts the condition reads, for the version manifest.
    package var factNames: Set<String> {
        switch self {
        case .all(let tests), .any(let tests): tests.reduce(into: Set()) { $0.formUnion($1.factNames) }
        case .platformFamily: ["platform_family"]
        case .platform: ["platform"]
        case .platformVersion: ["platform_version"]
        case .architecture: ["architecture"]
        case .with, .without: []
        case .not(let condition): condition.factNames
        }
    }
}

/// `>= 12`, `< 13.1`, `12` (equal): compares dotted numbers part by part, missing parts as 0.
package struct VersionComparison: Sendable, Equatable {
    package enum Operator: String, Sendable, CaseIterable {
        case atLeast = ">=", atMost = "<=", notEqual = "!=", equal = "==", greater = ">", less = "<"
    }
    package let op: Operator
    package let version: [Int]

    /// Nil when `text` is not an operator (optional) followed by a dotted number.
    package init?(_ text: String) {
        var rest = Substring(text.trimmingCharacters(in: .whitespaces))
        // Longest operators first, so ">=" is not read as ">" then "=12".
        let found = Operator.allCases.first { rest.hasPrefix($0.rawValue) }
        if let found { rest = rest.dropFirst(found.rawValue.count) }
        guard let version = Self.parts(String(rest).trimmingCharacters(in: .whitespaces)) else { return nil }
        self.op = found ?? .equal
        self.version = version
    }

    static func parts(_ text: String) -> [Int]? {
        let parts = text.split(separator: ".", omittingEmptySubsequences: false)
        guard !parts.isEmpty else { return nil }
        var numbers: [Int] = []
        for part in parts {
            guard !part.isEmpty, part.allSatisfy(\.isASCII), let number = Int(part), number >= 0 else { return nil }
            numbers.append(number)
        }
        return numbers
    }

    /// False when the platform's version is not a dotted number (a rolling release has none).
    package func holds(for platformVersion: String) -> Bool {
        guard let actual = Self.parts(platformVersion) else { return false }
        let count = max(actual.count, version.count)
        let left = actual + Array(repeating: 0, count: count - actual.count)
        let right = version + Array(repeating: 0, count: count - version.count)
        let order: Int = left == right ? 0 : (left.lexicographicallyPrecedes(right) ? -1 : 1)
        switch op {
        case .atLeast: return order >= 0
        case .atMost: return order <= 0
        case .notEqual: return order != 0
        case .equal: return order == 0
        case .greater: return order > 0
        case .less: return order < 0
        }
    }
}

/// One `default_version` choice: this version where the condition holds.
package struct VersionChoice: Sendable {
    package let version: Located<String>
    package let condition: Condition

    package init(version: Located<String>, condition: Condition) {
        self.version = version
        self.condition = condition
    }
}
