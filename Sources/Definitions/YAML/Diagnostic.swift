/// One problem found in the definitions, located where the user wrote it.
public struct Diagnostic: Sendable, Hashable, CustomStringConvertible, Comparable {
    public let location: SourceLocation?
    public let message: String

    public init(_ message: String, at location: SourceLocation?) {
        self.location = location
        self.message = message
    }

    public var description: String {
        guard let location else { return message }
        return "\(location): \(message)"
    }

    public static func < (a: Diagnostic, b: Diagnostic) -> Bool {
        switch (a.location, b.location) {
        case let (l?, r?): l == r ? a.message < b.message : l < r
        case (nil, _?): false
        case (_?, nil): true
        case (nil, nil): a.message < b.message
        }
    }
}

/// Every problem found while loading or checking definitions, reported together.
public struct DefinitionError: Error, Sendable, CustomStringConvertible {
    public let diagnostics: [Diagnostic]

    public init(_ diagnostics: [Diagnostic]) {
        self.diagnostics = diagnostics
    }

    public var description: String {
        diagnostics.map(\.description).joined(separator: "\n")
    }
}

/// Collects problems instead of stopping at the first, so one run of `validate` shows them all.
public struct Diagnostics: Sendable {
    public private(set) var all: [Diagnostic] = []

    public init() {}

    public var isEmpty: Bool { all.isEmpty }

    public mutating func error(_ message: String, at location: SourceLocation?) {
        all.append(Diagnostic(message, at: location))
    }

    public mutating func append(contentsOf other: Diagnostics) {
        all.append(contentsOf: other.all)
    }

    public mutating func append(contentsOf diagnostics: [Diagnostic]) {
        all.append(contentsOf: diagnostics)
    }

    public mutating func append(contentsOf error: DefinitionError) {
        all.append(contentsOf: error.diagnostics)
    }

    /// Throws the collected problems, sorted by location and without repeats.
    public func throwIfAny() throws(DefinitionError) {
        guard !all.isEmpty else { return }
        throw DefinitionError(Array(Set(all)).sorted())
    }
}
