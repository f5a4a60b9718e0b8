import Definitions

/// One software as it will be built: its definition, the version chosen, its direct dependencies.
package struct ResolvedSoftware: Sendable {
    package let software: Software
    package let version: SoftwareVersion
    /// Whether the version came from a project override rather than `default_version`.
    package let overridden: Bool
    /// Direct dependencies whose `when:` held, in declared order.
    package let dependencies: [String]
    /// The build steps of the chosen version (a version may replace the software's steps) whose
    /// `when:` held.
    package let steps: [Located<BuildStep>]

    package var name: String { software.name }

    package var relativePath: String? { version.relativePath ?? software.relativePath }
    /// Software-level env first, so a version's settings win.
    package var env: [EnvSetting] { software.env + version.env }
}

/// A project's resolved dependency DAG in a deterministic build order.
package struct BuildGraph: Sendable {
    package let project: Project
    /// Topological order: every software comes after all of its dependencies. The same inputs
    /// always give the same order (depth-first in declared order).
    package let order: [ResolvedSoftware]
    /// The project's dependencies whose `when:` held, in declared order.
    package let roots: [String]
    /// What the conditions were evaluated against; nil when they were not (all taken to hold).
    package let facts: ConditionFacts?

    package subscript(name: String) -> ResolvedSoftware? { order.first { $0.name == name } }

    /// Software that depends on `name` directly.
    package func dependents(of name: String) -> [String] {
        order.filter { $0.dependencies.contains(name) }.map(\.name)
    }

    /// Every software `name` needs, directly or not, in build order.
    package func transitiveDependencies(of name: String) -> [String] {
        var needed = Set<String>()
        var pending = self[name]?.dependencies ?? []
        while let next = pending.popLast() {
            if needed.insert(next).inserted { pending += self[next]?.dependencies ?? [] }
        }
        return order.map(\.name).filter(needed.contains)
    }
}
