import ArgumentParser
import Foundation
import Linkage
import OmnibusKit

struct BuildCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "build",
        abstract: "Fetch, build, health-check and package a project.",
        discussion: """
            Every software is fetched (checksums verified), built from source into \
            <install_dir>/embedded in a clean, pinned environment, in parallel where the \
            dependency graph allows, and merged into the install dir layer by layer. Unchanged \
            layers are restored from the cache. Logs: <work-dir>/<project>/logs/<software>.log.
            """)

    @OptionGroup var global: GlobalOptions
    @OptionGroup var settings: BuildSettings
    @OptionGroup var output: OutputOptions

    @Argument(help: "The project to build.")
    var project: String

    func run() throws {
        let workspace = try global.workspace()
        let graph = try workspace.resolve(project)
        let options = settings.options(for: workspace)
        let registry = ProcessRegistry()
        let interactive = isatty(STDOUT_FILENO) == 1 && ProcessInfo.processInfo.environment["CI"] == nil
        let terminal = interactive ? TerminalReporter() : nil
        let reporter: BuildReporter = terminal ?? PlainReporter()
        let interrupt = InterruptHandler(registry: registry) {
            FileHandle.standardError.write(Data("\ninterrupted: stopping all builds...\n".utf8))
        }
        defer { withExtendedLifetime(interrupt) {} }

        let started = Date()
        let sources: FetchSourcePreparer
        do { sources = try FetchSourcePreparer.make(options: options, offline: settings.offline) } catch {
            throw CommandFailure(.badInput, error.description)
        }
        let builder = ProjectBuilder(graph: graph, repositoryRoot: workspace.repository.root, options: options,
                                     reporter: reporter, sources: sources, registry: registry)
        let result: BuildResult
        do {
            result = try builder.build()
            terminal?.finish()
        } catch {
            terminal?.finish()
            switch error {
            case .cancelled: throw CommandFailure(.interrupted, error.description)
            case .refused: throw CommandFailure(.badInput, error.description)
            case .failed: throw CommandFailure(.failure, "build failed: " + error.description)
            }
        }
        let seconds = Date().timeIntervalSince(started)
        print("built \(result.project.name) \(result.version) into \(result.project.installDir) in \(String(format: "%.1f", seconds))s "
              + "(\(result.built.count) built, \(result.restored.count) restored from cache)")
        try healthCheck(result)
        let root = workspace.repository.root
        try PackageCommand.writePackages(
            ProjectPackaging(project: result.project, version: result.version, repositoryRoot: root,
                             sourceDateEpoch: SourceDateEpoch.resolve(repositoryRoot: root)),
            to: output.directory(root: root))
    }

    /// The linkage check runs before anything is packaged; a project may turn it off, and the
    /// build then says so every time rather than passing quietly.
    private func healthCheck(_ result: BuildResult) throws {
        let project = result.project
        guard project.healthCheck.enabled else {
            print("WARNING: the linkage health check is DISABLED for \(project.name) (health_check.enabled: false in \(project.file)); nothing proves the install dir is self-contained")
            return
        }
        let report: HealthReport
        do { report = try ProjectHealthCheck.check(project: project, owners: result.owners) } catch {
            throw CommandFailure(.failure, "health check: \(error)")
        }
        if report.passed {
            print("health check passed: \(report.filesChecked) ELF file\(report.filesChecked == 1 ? "" : "s") in \(project.installDir) link only inside it or against allowed base libraries")
        } else {
            throw CommandFailure(.failure, report.render() + "build stopped before packaging: the health check failed")
        }
    }
}
