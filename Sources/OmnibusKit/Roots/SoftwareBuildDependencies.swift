import Definitions
import Graph
import Spawning

/// The one place a software's build dependencies are gathered: what its definition declares in
/// `build_dependencies:` and what its steps imply (`cmake:` needs cmake). The clean root of a
/// platform build, the host check and the layer key's tools all read them from here.
extension ResolvedSoftware {
    /// The host tools its chosen version's steps run, each once, in step order, leaving out a
    /// tool a software it depends on installs (`gem` when the project builds its own Ruby).
    func stepTools(in graph: BuildGraph) -> [HostTool] {
        let needed = Set(graph.transitiveDependencies(of: name))
        var tools: [HostTool] = []
        for tool in steps.flatMap(\.value.kind.hostTools) where !tools.contains(tool) && needed.isDisjoint(with: tool.providedBy) {
            tools.append(tool)
        }
        return tools
    }

    /// Declared and implied packages of one platform family, declared first.
    func buildDependencies(family: String, in graph: BuildGraph) -> [String] {
        (software.buildDependencies[family] ?? []) + stepTools(in: graph).flatMap { $0.packages[family] ?? [] }
    }

    /// The PATH its steps find host tools on: its own `env` PATH when it sets one (rendered with
    /// the variables known before the build), else the pinned tool path.
    func toolPath(project: Project) -> String {
        let known = SoftwareInputs.keyTimeVariables(node: self, project: project)
        return env.last { $0.name == "PATH" }.flatMap { try? Interpolation.render($0.value, values: known) }
            ?? HostIdentity.toolPath
    }

    /// The step tools its steps will not find on their PATH: on the host, whatever dpkg says,
    /// a command that is not there fails the step with exit 127.
    func toolsMissingOnPath(in graph: BuildGraph) -> [HostTool] {
        let path = toolPath(project: graph.project)
        return stepTools(in: graph).filter { ChildProcess.which($0.command, in: path) == nil }
    }
}
