import Definitions
import Foundation
import Graph
import Linkage
import Packaging
import Synchronization

/// Runs a project through its phases (build, health check, package) with one set of settings.
/// Commands create one, call the phase they need and render the outcomes; the order of phases,
/// the checks between them and cancellation live here.
///
/// Cancellation is the calling task's: cancelling it stops build processes (through the
/// process layer), the health check (between files) and packaging (between writes). A phase
/// never starts after a cancel, and a cancelled run leaves no package, metadata file or layer
/// cache entry behind.
package struct ProjectRun: Sendable {
    package let workspace: Workspace
    package let settings: BuildSettings
    package let reporter: BuildReporter
    /// Receives each phase's outcome as it finishes.
    package let outcomes: @Sendable (PhaseOutcome) -> Void
    let environment: [String: String]
    /// Set in the run a `--platform` build starts inside the platform's clean root.
    package var platformRoot: PlatformRoot? = nil
    /// `--with` and `--without`: the project's flags for `when:` conditions.
    package var flags = FlagChoices()

    package init(workspace: Workspace, settings: BuildSettings, reporter: BuildReporter,
                 environment: [String: String] = ProcessInfo.processInfo.environment,
                 outcomes: @escaping @Sendable (PhaseOutcome) -> Void) {
        self.workspace = workspace
        self.settings = settings
        self.reporter = reporter
        self.environment = environment
        self.outcomes = outcomes
    }

    /// `omnibus build`: every phase. The build report is written whatever the outcome: after a
    /// success as `<output>/<name>-<version>-<iteration>.build.json`, after a failure as
    /// `<work>/<project>/build.json` (never into the output dir, which holds only finished
    /// packages), and to `reportFile` as well when one is given.
    package func build(_ projectName: String, reportFile: String? = nil) async throws(RunError) {
        let started = Date()
        let report = BuildReport(project: projectName, recorder: SoftwareRecorder(forwardingTo: reporter))
        do {
            try await build(projectName, report: report)
        } catch {
            report.finished(error, totalSeconds: Date().timeIntervalSince(started))
            let workDirReport = report.projectResolved ? settings.workDir + "/" + report.projectName + "/build.json" : nil
            var written: [String] = []
            for path in [workDirReport, reportFile].compactMap({ $0 }) {
                do { try BuildReportWriter.write(report, to: path); written.append(path) } catch {
                    reporter.report(.note("warning: cannot write the build report: \(error)"))
                }
            }
            outcomes(.reportWritten(written, failed: true))
            throw error
        }
        report.finished(nil, totalSeconds: Date().timeIntervalSince(started))
        var written: [String] = []
        for path in [settings.outputDir + "/" + (report.fileName ?? "build.json"), reportFile].compactMap({ $0 }) {
            do { try BuildReportWriter.write(report, to: path); written.append(path) } catch {
                throw .failed(.package, "cannot write the build report: \(error)")
            }
        }
        outcomes(.reportWritten(written, failed: false))
    }

    private func build(_ projectName: String, report: BuildReport) async throws(RunError) {
        let graph: BuildGraph
        do { graph = try workspace.resolve(projectName, platform: platformRoot?.platform.name, flags: flags) } catch {
            throw .badInput(error.description)
        }
        let project = graph.project
        report.resolved(graph, logsDir: WorkPaths(workDir: settings.workDir, project: project.name).logsDir)
        // Before any build work: a key that cannot sign must not cost a whole build.
        let signer = try await packageSigner()
        let lock = try await lockInstallDir(of: project)
        defer { withExtendedLifetime(lock) {} }
        try settings.prepareDirectories()
        let version = try await version(of: project)
        report.versioned(version)
        try checkpoint(.build)
        if platformRoot == nil { try await checkHostBuildDependencies(graph) }
        let started = Date()
        let host: HostIdentity
        if let platformRoot {
            host = await platformRoot.identity(cacheDir: settings.useLayerCache ? settings.cacheDir : nil)
        } else {
            host = await HostIdentity.current(cacheDir: settings.useLayerCache ? settings.cacheDir : nil)
        }
        var builder: ProjectBuilder
        do {
            builder = try ProjectBuilder(graph: graph, repositoryRoot: workspace.repository.root, settings: settings,
                                         reporter: report.recorder, caller: environment, host: host)
        } catch {
            throw Self.runError(error)
        }
        builder.platformRoot = platformRoot
        let result: BuildResult
        do { result = try await builder.build(version: version) } catch {
            report.took(Date().timeIntervalSince(started), in: .build)
            throw Self.runError(error)
        }
        report.built(result)
        report.took(Date().timeIntervalSince(started), in: .build)
        outcomes(.built(result, seconds: Date().timeIntervalSince(started)))
        try checkpoint(.healthCheck)
        let checkStarted = Date()
        do { try await healthCheck(project, owners: result.owners, report: report) } catch {
            report.took(Date().timeIntervalSince(checkStarted), in: .healthCheck)
            throw error
        }
        report.took(Date().timeIntervalSince(checkStarted), in: .healthCheck)
        try checkpoint(.package)
        let packageStarted = Date()
        let reuse = settings.useLayerCache ? PackageReuse(layerKeys: result.layers.map(\.cacheKey), tool: host.tool) : nil
        do {
            let packaged = try await package(project, version: version, signer: signer, reuse: reuse,
                                             software: Set(graph.order.map(\.name)))
            report.packaged(packaged.packages, reused: packaged.reused)
        } catch {
            report.took(Date().timeIntervalSince(packageStarted), in: .package)
            throw error
        }
        report.took(Date().timeIntervalSince(packageStarted), in: .package)
    }

    /// `omnibus package`: the package phase over an install dir built before.
    package func package(_ projectName: String) async throws(RunError) {
        let project: Project
        do { project = try workspace.loadProject(projectName) } catch { throw .badInput(error.description) }
        let signer = try await packageSigner()
        let lock = try await lockInstallDir(of: project)
        defer { withExtendedLifetime(lock) {} }
        let version = try await version(of: project)
        try checkpoint(.package)
        // A project whose graph no longer resolves is still packaged, as one payload segment.
        let software = Set(((try? workspace.resolve(projectName, platform: platformRoot?.platform.name, flags: flags))?.order ?? [])
            .map(\.name))
        try await package(project, version: version, signer: signer, software: software)
    }

    /// The configured key, looked up now; nil when nothing is to be signed.
    private func packageSigner() async throws(RunError) -> GPGPackageSigner? {
        guard let signing = settings.signing else { return nil }
        let epoch = await SourceDateEpoch.resolve(repositoryRoot: workspace.repository.root, environment: environment)
        return try await GPGPackageSigner.prepare(signing, sourceDateEpoch: epoch)
    }

    /// `omnibus health-check PROJECT`: the check over the project's install dir, findings
    /// attributed through the layer records of the last build.
    package func healthCheck(_ projectName: String) async throws(RunError) -> HealthReport {
        let project: Project
        do { project = try workspace.loadProject(projectName) } catch { throw .badInput(error.description) }
        let owners = ProjectHealthCheck.owners(workDir: settings.workDir, project: project.name)
        return try await Self.check(project.installDir, policy: ProjectHealthCheck.policy(for: project), owners: owners)
    }

    /// The linkage check of any directory, cancellable between files.
    package static func check(_ directory: String, policy: HealthCheckPolicy, owners: [String: String] = [:],
                              resolver: @autoclosure () -> LibraryResolver = LibraryResolver()) async throws(RunError) -> HealthReport {
        let flag = CancellationFlag()
        let resolver = resolver()
        let result: Result<HealthReport, HealthCheckError> = await withTaskCancellationHandler {
            do throws(HealthCheckError) {
                return .success(try HealthChecker(resolver: resolver).check(installDir: directory, policy: policy, owners: owners,
                                                          isCancelled: { flag.isSet }))
            } catch {
                return .failure(error)
            }
        } onCancel: {
            flag.set()
        }
        if Task.isCancelled { throw .cancelled(.healthCheck) }
        switch result {
        case .success(let report): return report
        case .failure(let error): throw .badInput(error.description)
        }
    }

    private func healthCheck(_ project: Project, owners: [String: String], report: BuildReport) async throws(RunError) {
        let permissions = PermissionAudit.findings(in: project.installDir)
        let fatal = permissions.filter { project.healthCheck.failOn.contains($0.kind.rawValue) }
        guard fatal.isEmpty else {
            report.healthCheckFailed(permissions: fatal.map(\.description))
            throw .failed(.healthCheck, fatal.map { "  " + $0.description }.joined(separator: "\n")
                + "\nbuild stopped before packaging: health_check.fail_on lists \(Set(fatal.map(\.kind.rawValue)).sorted().joined(separator: ", ")) in \(project.file)")
        }
        if !permissions.isEmpty { outcomes(.permissionWarnings(permissions)) }
        guard project.healthCheck.enabled else {
            report.healthCheckDisabled()
            outcomes(.healthCheckDisabled(project: project.name, projectFile: project.file))
            return
        }
        let checked: HealthReport
        do {
            // In a clean root, libraries resolve against the root's loader cache, not the host's.
            let resolver = platformRoot.map { LibraryResolver(systemRoot: $0.directory, keptOnHost: [project.installDir]) } ?? LibraryResolver()
            checked = try await Self.check(project.installDir, policy: ProjectHealthCheck.policy(for: project), owners: owners,
                                           resolver: resolver)
        } catch {
            if case .badInput(let message) = error { throw .failed(.healthCheck, "health check: \(message)") }
            throw error
        }
        report.healthChecked(checked)
        guard checked.passed else {
            throw .failed(.healthCheck, checked.render() + "build stopped before packaging: the health check failed")
        }
        outcomes(.healthChecked(checked))
    }

    @discardableResult
    /// - Parameter software: the project's software now, whose layer records order the payload.
    private func package(_ project: Project, version: String, signer: GPGPackageSigner?,
                         reuse: PackageReuse? = nil, software: Set<String>) async throws(RunError) -> (packages: [BuiltPackage], reused: Bool) {
        let started = Date()
        let root = workspace.repository.root
        let epoch = await SourceDateEpoch.resolve(repositoryRoot: root, environment: environment)
        var packaging = ProjectPackaging(project: project, version: version, repositoryRoot: root, sourceDateEpoch: epoch,
                                         formatKinds: workspace.repository.kinds.formats)
        packaging.platform = platformRoot?.packagePlatform
        // Written layer by layer, each layer's compressed bytes kept, so a rebuild compresses
        // only the layers that changed.
        packaging.layers = .recorded(in: WorkPaths(workDir: settings.workDir, project: project.name).layersDir,
                                     installDir: project.installDir, software: software)
        packaging.segmentStore = PayloadSegmentStore(directory: PayloadSegmentStore.directory(cacheDir: settings.cacheDir),
                                                     toolIdentity: HostIdentity.toolIdentity(cacheDir: settings.cacheDir),
                                                     owner: project.name)
        let dated = signer?.dated(epoch)
        let cached = reuse.flatMap { reuseKey($0, packaging: packaging, signer: dated) }
        if let cached, let built = reused(cached, project: project) {
            try writeDebugTarball(project, version: version, epoch: epoch)
            outcomes(.packaged(built, seconds: Date().timeIntervalSince(started), reused: true))
            warnAboutReplaced(built)
            return (built, true)
        }
        let built: [BuiltPackage]
        // The workspace's format table, so a registered format is written like the shipped ones.
        let packagers = workspace.repository.kinds.formats.compactMap { $0 as? any Packager.Type }
        do { built = try await packaging.write(to: settings.outputDir, formats: packagers, signer: dated) } catch {
            if error.cancelled || Task.isCancelled { throw .cancelled(.package) }
            throw .failed(.package, error.description)
        }
        if let cached { keep(built, as: cached, project: project, version: version) }
        try writeDebugTarball(project, version: version, epoch: epoch)
        outcomes(.packaged(built, seconds: Date().timeIntervalSince(started), reused: false))
        warnAboutReplaced(built)
        return (built, false)
    }

    /// After the packages, so a failed packaging leaves no debug tarball of this run either; not
    /// part of the package cache: written again from the install dir, to the same bytes.
    private func writeDebugTarball(_ project: Project, version: String, epoch: Int) throws(RunError) {
        do { try DebugTarball.write(project: project, version: version, epoch: epoch, outputDirectory: settings.outputDir) } catch {
            throw .failed(.package, error.description)
        }
    }

    private func warnAboutReplaced(_ built: [BuiltPackage]) {
        let replaced = built.compactMap { package in package.replacedSHA256.map { BuildReport.replacedWarning(package, previous: $0) } }
        if !replaced.isEmpty { outcomes(.warnings(replaced)) }
    }

    func version(of project: Project) async throws(RunError) -> String {
        do { return try await ProjectVersionResolver.resolve(project.version, repositoryRoot: workspace.repository.root,
                                                             environment: environment) } catch {
            throw .badInput(error.description)
        }
    }

    /// One run per install dir: a second one waits (saying for whom) or, with `--no-wait`, stops.
    func lockInstallDir(of project: Project) async throws(RunError) -> InstallDirLock {
        let reporter = self.reporter
        return try await InstallDirLock.acquire(installDir: project.installDir, project: project.name,
                                                wait: settings.waitForLock) { reporter.report(.note($0)) }
    }

    /// Between phases: a cancelled run goes no further.
    private func checkpoint(_ next: Phase) throws(RunError) {
        if Task.isCancelled { throw .cancelled(next) }
    }

    private static func runError(_ error: BuildError) -> RunError {
        switch error {
        case .cancelled: .cancelled(.build)
        case .refused(let message): .badInput(message)
        case .failed: .failed(.build, error.description)
        }
    }
}

/// Set once by a cancellation handler, read by work that runs outside the task (the health
/// check's worker threads).
final class CancellationFlag: Sendable {
    private let value = Mutex(false)
    func set() { value.withLock { $0 = true } }
    var isSet: Bool { value.withLock { $0 } }
}

extension ProjectRun {
    /// `omnibus clean`: build trees and logs, with `all` also the caches and the install dir,
    /// with `packages` the files of the project's earlier versions in the output dir (those of
    /// the version the project resolves to now stay), under the install dir's lock so a running
    /// build is never cleaned away.
    package func clean(_ projectName: String, all: Bool, packages: Bool = false) async throws(RunError) -> [String] {
        let project: Project
        do { project = try workspace.loadProject(projectName) } catch { throw .badInput(error.description) }
        let lock = try await lockInstallDir(of: project)
        defer { withExtendedLifetime(lock) {} }
        var removed: [String]
        do { removed = try ProjectCleaner(project: project, settings: settings).clean(all: all) } catch {
            throw .failed(.build, "cannot clean \(project.name): \(error)")
        }
        guard packages else { return removed }
        let version = try await version(of: project)
        do {
            removed += try OutputCleaner(outputDir: settings.outputDir, project: project.name,
                                         current: (version, String(project.iteration))).clean()
        } catch {
            throw .failed(.build, "cannot clean the earlier packages of \(project.name) from \(settings.outputDir): \(error)")
        }
        return removed
    }
}
