import Definitions
import Foundation
import Graph
import Packaging

/// The facts `when:` conditions are evaluated against for a platform name: a known platform's
/// own (`debian-12`), or for `host` what the machine's `/etc/os-release` says.
enum PlatformFacts {
    static func facts(for platform: String?) -> ConditionFacts {
        let architecture = PackageArchitecture.host.machine
        if let platform, let known = TargetPlatform.named(platform) {
            return ConditionFacts(platform: known, architecture: architecture)
        }
        // os-release(5): /etc/os-release, else /usr/lib/os-release.
        let text = ["/etc/os-release", "/usr/lib/os-release"].lazy
            .compactMap { try? String(contentsOfFile: $0, encoding: .utf8) }.first ?? ""
        return ConditionFacts(osRelease: text, architecture: architecture)
    }
}

extension Workspace {
    /// Loads a project and resolves its graph for `platform` (nil or `host`: this machine) with
    /// the project's flags after `flags`: conditions are evaluated before the graph is built.
    package func resolve(_ projectName: String, platform: String? = nil, flags: FlagChoices) throws(DefinitionError) -> BuildGraph {
        let project = try loadProject(projectName)
        var facts = PlatformFacts.facts(for: platform)
        facts.flags = try flags.flagsOn(for: project)
        return try resolver(cache: SoftwareCache(repository: repository)).resolve(project, facts: facts)
    }
}

extension Workspace {
    /// The graph with every `when:` of a dependency or step taken to hold (the `default_version`
    /// fallbacks chosen): what some platform and flags could need.
    package func resolveUnderEveryCondition(_ projectName: String) throws(DefinitionError) -> BuildGraph {
        try resolver(cache: SoftwareCache(repository: repository)).resolve(try loadProject(projectName), facts: nil)
    }
}
