/// A distribution release a project can be built for in a clean root, by the name users write
/// (`debian-12`), with what the root is made from. `host` is not one of them: it means the
/// machine as it is, today's behaviour.
package struct TargetPlatform: Sendable, Hashable {
    /// `debian-12`: the name in `platforms:`, `--platform`, package names and cache keys.
    package let name: String
    /// The key of `build_dependencies:` that applies (`debian`).
    package let family: String
    /// `12`: the `platform_version` of the packages built for it.
    package let version: String
    /// The archive suite the root is made from (`bookworm`).
    package let suite: String

    /// Only the releases whose roots this tool knows how to make; rpm families are not made yet.
    package static let known: [TargetPlatform] = [
        TargetPlatform(name: "debian-12", family: "debian", version: "12", suite: "bookworm"),
        TargetPlatform(name: "debian-13", family: "debian", version: "13", suite: "trixie"),
    ]

    /// The families `build_dependencies:` accepts; rhel is accepted so definitions can already
    /// say what an rpm-family root will need.
    package static let families = ["debian", "rhel"]

    /// The name that keeps today's behaviour: build on the machine as it is.
    package static let hostName = "host"

    package static func named(_ name: String) -> TargetPlatform? { known.first { $0.name == name } }

    /// An error text for a name that is neither a known platform nor `host`, with a suggestion.
    package static func unknownNameProblem(_ name: String) -> String? {
        guard name != hostName, named(name) == nil else { return nil }
        let names = known.map(\.name) + [hostName]
        let hint = Suggestion.closest(to: name, in: names).map { " (did you mean '\($0)'?)" } ?? ""
        return "unknown platform '\(name)'\(hint); known: \(names.joined(separator: ", "))"
    }
}
