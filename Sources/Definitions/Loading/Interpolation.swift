/// `{{variable}}` substitution in definition strings and templates.
package enum Interpolation {
    /// The variables a definition may use; anything else is a mistake worth reporting early.
    package static let variables = ["install_dir", "embedded", "version", "jobs", "destdir", "source_dir", "project"]

    package enum Failure: Error, Sendable, Equatable {
        case unknownVariable(name: String, offset: Int)
        case unclosed(offset: Int)
    }

    /// One `{{name}}` occurrence: its name and where in the text it starts (in characters).
    struct Reference {
        let name: String
        let offset: Int
        let range: Range<String.Index>
    }

    static func references(in text: String) -> Result<[Reference], Failure> {
        var found: [Reference] = []
        var index = text.startIndex
        while let open = text[index...].range(of: "{{") {
            guard let close = text[open.upperBound...].range(of: "}}") else {
                return .failure(.unclosed(offset: text.distance(from: text.startIndex, to: open.lowerBound)))
            }
            let name = text[open.upperBound..<close.lowerBound].trimmingCharacters(in: .whitespaces)
            found.append(Reference(name: name, offset: text.distance(from: text.startIndex, to: open.lowerBound),
                                   range: open.lowerBound..<close.upperBound))
            index = close.upperBound
        }
        return .success(found)
    }

    /// Reports every unknown variable and unclosed `{{` in a located string.
    package static func check(_ text: Located<String>, allowed: [String] = variables, problems: inout Diagnostics) {
        let singleLine = !text.value.contains("\n")
        func location(_ offset: Int) -> SourceLocation { singleLine ? text.location.advanced(by: offset) : text.location }
        switch references(in: text.value) {
        case .failure(.unclosed(let offset)):
            problems.error("'{{' is not closed with '}}'", at: location(offset))
        case .failure(.unknownVariable):
            break
        case .success(let references):
            for reference in references where !allowed.contains(reference.name) {
                problems.error(unknownMessage(reference.name, allowed: allowed), at: location(reference.offset))
            }
        }
    }

    static func unknownMessage(_ name: String, allowed: [String]) -> String {
        let known = allowed.map { "{{\($0)}}" }.joined(separator: ", ")
        if let guess = Suggestion.closest(to: name, in: allowed) {
            return "unknown variable '{{\(name)}}' (did you mean '{{\(guess)}}'?)"
        }
        return "unknown variable '{{\(name)}}' (known: \(known))"
    }

    /// Substitutes every reference; fails on the first unknown name.
    package static func render(_ text: String, values: [String: String]) throws(Failure) -> String {
        let references: [Reference]
        switch Self.references(in: text) {
        case .success(let found): references = found
        case .failure(let failure): throw failure
        }
        var result = ""
        var index = text.startIndex
        for reference in references {
            guard let value = values[reference.name] else {
                throw .unknownVariable(name: reference.name, offset: reference.offset)
            }
            result += text[index..<reference.range.lowerBound]
            result += value
            index = reference.range.upperBound
        }
        result += text[index...]
        return result
    }
}

import Foundation
