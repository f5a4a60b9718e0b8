import ArgumentParser
import Graph

extension GraphRenderer.Format: ExpressibleByArgument {}

struct GraphCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "graph",
        abstract: "Show a project's dependency graph and build order.",
        discussion: "Render with Graphviz: omnibus graph PROJECT --format dot | dot -Tsvg > graph.svg")

    @OptionGroup var global: GlobalOptions

    @Argument(help: "The project.")
    var project: String

    @Option(help: "text (a tree), dot (Graphviz) or json.")
    var format: GraphRenderer.Format = .text

    func run() throws {
        let graph = try global.workspace().resolve(project)
        print(GraphRenderer.render(graph, as: format), terminator: "")
    }
}
