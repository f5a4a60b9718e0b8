/// Reads pip's log after a failed install for the one failure a user can fix from the
/// definition: a dependency that is not pinned, which pip (with `--no-index`) cannot find.
enum PipFailure {
    struct Unpinned: Equatable {
        /// The requirement as pip wrote it (`urllib3<3,>=1.21.1`).
        let requirement: String
        /// Its distribution name.
        let name: String
        /// The distribution that needs it, when pip says.
        let neededBy: String?
    }

    static func unpinned(inLog log: String) -> Unpinned? {
        let marker = "Could not find a version that satisfies the requirement "
        let fallback = "No matching distribution found for "
        for line in log.split(whereSeparator: \.isNewline) {
            if let range = line.range(of: marker) {
                let rest = line[range.upperBound...]
                let requirement = String(rest.prefix { $0 != " " })
                var neededBy: String?
                if let from = rest.range(of: "(from "), !rest[from.upperBound...].hasPrefix("versions") {
                    neededBy = String(rest[from.upperBound...].prefix { $0 != ")" && $0 != "=" && $0 != "<" && $0 != ">" && $0 != "[" })
                }
                return Unpinned(requirement: requirement, name: name(of: requirement), neededBy: neededBy)
            }
        }
        for line in log.split(whereSeparator: \.isNewline) {
            if let range = line.range(of: fallback) {
                let requirement = String(line[range.upperBound...].prefix { $0 != " " })
                return Unpinned(requirement: requirement, name: name(of: requirement), neededBy: nil)
            }
        }
        return nil
    }

    /// The distribution name at the start of a requirement (`urllib3<3` gives `urllib3`).
    static func name(of requirement: String) -> String {
        String(requirement.prefix { $0.isLetter || $0.isNumber || "-_.".contains($0) })
    }
}
