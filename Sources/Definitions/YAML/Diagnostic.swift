/// One problem found in the definitions, located where the user wrote it.
package struct Diagnostic: Sendable, Hashable, CustomStringConvertible, Comparable {
    package let location: SourceLocation?
    package let message: String

    package init(_ message: String, at location: SourceLocation?) {
        self.location = location
        self.message = message
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

/// Every problem found while loading or checking definitions, reported together.
package struct DefinitionError: Error, Sendable, CustomStringConvertible {
    package let diagnostics: [Diagnostic]

    package init(_ diagnostics: [Diagnostic]) {
        self.diagnostics = diagnostics
    }

    package var description: String {
        diagnostics.map(\.description).joined(separator: "\n")
    }
}

/// Collects problems instead of stopping at the first, so one run of `validate` shows them all.
package struct Diagnostics: Sendable {
    package private(set) var all: [Diagnostic] = []

    package init() {}

    package var isEmpty: Bool { all.isEmpty }

    package mutating func error(_ message: String, at location: SourceLocation?) {
        all.append(Diagnostic(message, at: location))
    }

    package mutating func append(contentsOf other: Diagnostics) {
        all.append(contentsOf: other.all)
    }

    package mutating func append(contentsOf diagnostics: [Diagnostic]) {
        all.append(contentsOf: diagnostics)
    }

    package mutating func append(contentsOf error: DefinitionError) {
        all.append(contentsOf: error.diagnostics)
    }

    /// Throws the collected problems, sorted by location and without repeats.
    package func throwIfAny() throws(DefinitionError) {
        guard !all.isEmpty else { return }
        throw DefinitionError(Array(Set(all)).sorted())
    }
}
