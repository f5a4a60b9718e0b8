import ArgumentParser
import Foundation
import OmnibusKit

struct PublishCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "publish",
        abstract: "Add a project's built .deb and .rpm to signed apt and yum/dnf repositories.",
        discussion: """
            Takes the packages of the project's current version and iteration from the output \
            directory and adds them to the repositories given here or under 'publish:' in \
            omnibus.config.yml; the packages already there stay. The directories hold only \
            relative paths: sync them to any static host. See docs/repositories.md.
            """)

    @OptionGroup var global: GlobalOptions
    @OptionGroup var output: OutputOptions
    @OptionGroup var repositories: RepositoryOptions
    @OptionGroup var signing: SigningOptions

    @Argument(help: "The project.", completion: .custom(NameCompletion.projects))
    var project: String

    func run() async throws {
        let workspace = try global.workspace()
        let flags = BuildSettings.Flags(output: output, signing: signing)
        let settings = try workspace.commandSettings(flags)
        let run = ProjectRun(workspace: workspace, settings: settings, reporter: PlainReporter(color: false, heartbeat: 30), outcomes: { _ in })
        let project = self.project
        var flagsGiven = repositories.flags
        // Without a key, writing unsigned indexes needs this explicit acknowledgement.
        flagsGiven.unsigned = signing.noSign
        let publishFlags = flagsGiven
        let outcomes = try await RunInTask.run { () async throws(RunError) in try await run.publish(project, publishFlags) }
        for outcome in outcomes {
            let summary = outcome.summary
            var parts: [String] = []
            if !summary.added.isEmpty { parts.append("added \(summary.added.joined(separator: ", "))") }
            if !summary.replaced.isEmpty { parts.append("replaced \(summary.replaced.joined(separator: ", "))") }
            if !summary.unchanged.isEmpty { parts.append("already there: \(summary.unchanged.joined(separator: ", "))") }
            let state = summary.indexesWritten ? (outcome.signed ? "indexes written and signed" : "indexes written UNSIGNED")
                : "nothing changed"
            print("\(outcome.kind) \(outcome.repository): \(parts.joined(separator: "; ")) (\(state))")
        }
    }
}

/// Where and how `publish` writes; the key comes from `SigningOptions`, as for `build` and `package`.
struct RepositoryOptions: ParsableArguments {
    @Option(name: .customLong("apt-repo"), help: ArgumentHelp("An apt repository directory to add the .deb to (publish.apt.path).", valueName: "dir"))
    var aptRepo: String?

    @Option(name: .customLong("yum-repo"), help: ArgumentHelp("A yum/dnf repository directory to add the .rpm to (publish.yum.path).", valueName: "dir"))
    var yumRepo: String?

    @Option(help: ArgumentHelp("The apt suite (default: stable; publish.apt.suite).", valueName: "name"))
    var suite: String?

    @Option(help: ArgumentHelp("The apt component (default: main; publish.apt.component).", valueName: "name"))
    var component: String?

    @Option(help: ArgumentHelp("The apt Release 'Origin' (default: the project's name; publish.apt.origin).", valueName: "text"))
    var origin: String?

    @Option(help: ArgumentHelp("The apt Release 'Label' (default: the project's name; publish.apt.label).", valueName: "text"))
    var label: String?

    @Flag(help: "Overwrite a package already published with the same name, version and architecture but other bytes.")
    var replace = false

    var flags: PublishSettings.Flags {
        PublishSettings.Flags(aptRepo: aptRepo, yumRepo: yumRepo, suite: suite, component: component, origin: origin, label: label,
                              replace: replace)
    }
}
