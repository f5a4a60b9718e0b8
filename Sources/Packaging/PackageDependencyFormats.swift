import Definitions

/// A format's relations of one kind: the neutral list (`runtime_dependencies`...) then the
/// format's own (`package.deb.depends`...), a relation given in both written once.
func mergedRelations(_ neutral: [String], _ own: [String]) -> [String] {
    var seen = Set<String>()
    return (neutral + own).filter { seen.insert($0).inserted }
}

/// How each format writes a relation parsed by `PackageDependency`.
extension PackageDependency {
    /// Parses a relation for packaging, where a bad one is a packaging error.
    static func parsed(_ text: String) throws(PackagingError) -> PackageDependency {
        do { return try PackageDependency(parsing: text) } catch { throw .invalidInfo([error.description]) }
    }

    /// `a (>= 1.0) | b` for a control file.
    var debian: String {
        alternatives.map { alternative in
            guard let relation = alternative.relation, let version = alternative.version else { return alternative.name }
            return "\(alternative.name) (\(relation.rawValue) \(version))"
        }.joined(separator: " | ")
    }

    /// The rpm name, flags and version; alternatives become a rich dependency `(a >= 1 or b)`.
    var rpm: (name: String, flags: UInt32, version: String) {
        if alternatives.count == 1, let only = alternatives.first {
            return (only.name, only.relation?.rpmFlags ?? 0, only.version ?? "")
        }
        let terms = alternatives.map { alternative in
            guard let relation = alternative.relation, let version = alternative.version else { return alternative.name }
            return "\(alternative.name) \(relation.rpmOperator) \(version)"
        }
        return ("(" + terms.joined(separator: " or ") + ")", 0, "")
    }

    var isRich: Bool { alternatives.count > 1 }
}

extension PackageDependency.Relation {
    var rpmOperator: String {
        switch self {
        case .less: "<"
        case .lessOrEqual: "<="
        case .equal: "="
        case .greaterOrEqual: ">="
        case .greater: ">"
        }
    }

    /// rpm's RPMSENSE bits: LESS 0x02, GREATER 0x04, EQUAL 0x08.
    var rpmFlags: UInt32 {
        switch self {
        case .less: 0x02
        case .lessOrEqual: 0x0A
        case .equal: 0x08
        case .greaterOrEqual: 0x0C
        case .greater: 0x04
        }
    }
}
