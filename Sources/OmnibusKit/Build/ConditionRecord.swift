import Definitions
import Graph

/// What the version manifest says about the `when:` conditions a build was resolved with.
enum ConditionRecord {
    static func conditions(of graph: BuildGraph) -> VersionManifest.Conditions? {
        let project = graph.project
        var conditions = Array(project.dependencyConditions.values)
        for node in graph.order {
            conditions += node.software.dependencyConditions.values
            conditions += node.software.versionChoices.map(\.condition)
            conditions += (node.version.build ?? node.software.build).compactMap(\.value.condition)
        }
        guard !conditions.isEmpty || !project.flags.isEmpty, let facts = graph.facts else { return nil }
        let read = conditions.reduce(into: Set<String>()) { $0.formUnion($1.factNames) }
        return VersionManifest.Conditions(
            flags: Dictionary(uniqueKeysWithValues: project.flags.map { ($0.name, facts.flags.contains($0.name)) }),
            platform: facts.recorded.filter { read.contains($0.key) })
    }
}
