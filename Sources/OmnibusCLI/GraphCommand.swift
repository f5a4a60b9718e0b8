import ArgumentParser
import OmnibusKit

extension GraphFormat: ExpressibleByArgument {}

struct GraphCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "graph",
        abstract: "Show a project's dependency graph and build order.",
        discussion: "Render with Graphviz: omnibus graph PROJECT --format dot | dot -Tsvg > graph.svg")

    @OptionGroup var global: GlobalOptions

    @Argument(help: "The project.", completion: .custom(NameCompletion.projects))
    var project: String

    @Option(help: "text (a tree), dot (Graphviz) or json.")
    var format: GraphFormat = .text

    @Option(help: ArgumentHelp("Evaluate when: conditions for this platform (debian-12, debian-13) instead of this machine (host).",
                               valueName: "name"))
    var platform: String?

    @OptionGroup var flags: FlagOptions

    func validate() throws {
        if let platform, let problem = PlatformRoot.nameProblem(platform) { throw ValidationError("--platform: \(problem)") }
    }

    func run() throws {
        print(try global.workspace().renderGraph(project, as: format, platform: platform, flags: flags.choices), terminator: "")
    }
}
