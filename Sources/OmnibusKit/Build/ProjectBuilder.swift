import Definitions
import Foundation
import Graph

/// Why `omnibus build` stopped.
package enum BuildError: Error, Sendable, CustomStringConvertible {
    case failed(BuildFailure)
    /// Something about the setup (install dir, version, work dir) that the user must fix first.
    case refused(String)
    case cancelled

    package var description: String {
        switch self {
        case .failed(let failure): failure.description
        case .refused(let message): message
        case .cancelled: "build interrupted; nothing was packaged and the install dir is incomplete"
        }
    }
}

package struct BuildResult: Sendable {
    package let project: Project
    package let version: String
    package let layers: [Layer]
    /// Install-dir-relative path -> the software that installed it.
    package let owners: [String: String]
    package let built: [String]
    package let restored: [String]
    package let restoredRemotely: [(software: String, bytes: Int64, seconds: Double)]
    package let uploaded: [(software: String, bytes: Int64, seconds: Double)]
    package let manifest: VersionManifest
}

/// Builds a project's software in dependency order, in parallel where the graph allows, each
/// into its own staging root, merging each layer into the install dir before any dependent
/// starts, and restoring unchanged layers from the cache.
struct ProjectBuilder: Sendable {
    let graph: BuildGraph
    let repositoryRoot: String
    let settings: BuildSettings
    let reporter: BuildReporter
    let sources: SourcePreparation
    let caller: [String: String]
    let host: HostIdentity
    let paths: WorkPaths
    /// The clean root this build runs in (`--platform`); nil on the host.
    var platformRoot: PlatformRoot? = nil

    init(graph: BuildGraph, repositoryRoot: String, settings: BuildSettings, reporter: BuildReporter,
         caller: [String: String], host: HostIdentity) throws(BuildError) {
        self.graph = graph
        self.repositoryRoot = repositoryRoot
        self.settings = settings
        self.reporter = reporter
        self.sources = try SourcePreparation(settings: settings)
        self.caller = caller
        self.host = host
        self.paths = WorkPaths(workDir: settings.workDir, project: graph.project.name)
    }

    /// Builds run with a fixed timestamp unless one is given, so a layer's bytes do not depend
    /// on when the packaging repository was last committed to (and the cache stays valid).
    package static let defaultBuildEpoch = 1_704_067_200

    func build(version: String) async throws(BuildError) -> BuildResult {
        let project = graph.project
        let buildEpoch = settings.sourceDateEpoch ?? Self.defaultBuildEpoch
        let unlicensed = LicenseSummary.withoutLicenseFiles(graph).map(\.name)
        if !unlicensed.isEmpty {
            if project.requireLicenseFiles {
                throw .refused(LicenseSummary.missingLicenseFilesError(unlicensed, project: project))
            }
            reporter.report(.note(LicenseSummary.missingLicenseFilesWarning(unlicensed, project: project)))
        }
        let inputs = try await softwareInputs(buildEpoch: buildEpoch)
        let merged = graph.order.map { InstallDirState.Merged(software: $0.name, key: inputs[$0.name]?.key ?? "") }
        let state: Scheduler.State
        let kept = keptInstallDir(merged)
        if let kept {
            state = kept.state
        } else {
            do {
                try InstallDirState.discard(paths.installDirState)
                try InstallDirGuard(installDir: project.installDir, project: project.name, legacyRecordPath: paths.installDirRecord).prepareFresh()
                let manifestPath = project.installDir + "/version-manifest.json"
                if FileManager.default.fileExists(atPath: manifestPath) { try? FileManager.default.removeItem(atPath: manifestPath) }
            } catch let error as InstallDirGuard.Refusal {
                throw .refused(error.description)
            } catch {
                throw .refused("cannot remove \(paths.installDirState) before rebuilding \(project.installDir): \(error.localizedDescription)")
            }
            reporter.report(.planned(project: project.name, software: graph.order.map(\.name), jobs: settings.jobs))
            state = try await Scheduler(builder: self, inputs: inputs).run()
        }

        let manifest = makeManifest(version: version, inputs: inputs)
        let rewritten = try writeClosingFiles(manifest: manifest)
        // A kept install dir whose record had racy files is surveyed again, so the next no-op need not hash them.
        if kept == nil || rewritten || kept?.racy == true { recordInstallDir(merged) }
        return BuildResult(project: project, version: version, layers: graph.order.compactMap { state.layers[$0.name] },
                           owners: state.owners, built: state.built, restored: state.restored,
                           restoredRemotely: state.restoredRemotely, uploaded: state.uploaded, manifest: manifest)
    }

    /// Each software's inputs in build order, so a dependency's key is known before its dependents'.
    private func softwareInputs(buildEpoch: Int) async throws(BuildError) -> [String: SoftwareInputs] {
        var inputs: [String: SoftwareInputs] = [:]
        for node in graph.order {
            let identity: String
            do { identity = try sources.identity(of: node.version.source) } catch {
                throw .failed(BuildFailure(software: node.name, step: nil, reason: error, lastLines: [], logPath: paths.log(node.name)))
            }
            let dependencyKeys = Dictionary(uniqueKeysWithValues: node.dependencies.map { ($0, inputs[$0]?.key ?? "") })
            var toolchain = host.toolchain
            // A declared tool is found where the software's steps find it: its own PATH, if it sets one.
            let path = node.toolPath(project: graph.project)
            // The commands its steps imply (cmake, meson) are keyed like declared tools.
            var tools = node.software.tools
            for tool in node.stepTools(in: graph) where !tools.contains(tool.command) { tools.append(tool.command) }
            if let platformRoot {
                toolchain.merge(await platformRoot.toolchain(tools)) { _, root in root }
            } else {
                for tool in tools { toolchain[tool] = await HostIdentity.probe(tool, path: path) }
            }
            inputs[node.name] = SoftwareInputs(node: node, project: graph.project, sourceIdentity: identity,
                                               buildEpoch: buildEpoch, host: host, toolchain: toolchain, caller: caller,
                                               dependencyKeys: dependencyKeys)
        }
        return inputs
    }

    private func makeManifest(version: String, inputs: [String: SoftwareInputs]) -> VersionManifest {
        var components: [String: VersionManifest.Component] = [:]
        for node in graph.order {
            let source = node.version.source
            let identity = inputs[node.name]?.sourceIdentity ?? ""
            components[node.name] = .init(version: node.version.version, sourceType: source.kindName, source: source.kind.location,
                                          checksum: identity, license: node.software.license,
                                          licenseFiles: node.software.licenseFiles.map { "LICENSES/\(node.name)/\(($0 as NSString).lastPathComponent)" },
                                          dependencies: node.dependencies, layerKey: inputs[node.name]?.key ?? "",
                                          distributions: installedDistributions(node.name))
            // The record the language steps left in the software's layer, merged into the install dir.
            let packages = LanguagePackage.read(installDir: graph.project.installDir, software: node.name)
            if !packages.isEmpty { components[node.name]?.packages = packages }
        }
        var manifest = VersionManifest(manifestFormat: 1, project: graph.project.name, version: version,
                                       iteration: graph.project.iteration, installDir: graph.project.installDir,
                                       buildPlatform: host.platform, software: components)
        manifest.conditions = ConditionRecord.conditions(of: graph)
        return manifest
    }

    /// The record a pip step left in the software's layer, now merged into the install dir.
    private func installedDistributions(_ software: String) -> [InstalledDistribution]? {
        let record = PipInstallation.readRecord(graph.project.installDir + "/" + InstalledDistribution.recordPath(software: software))
        return record.isEmpty ? nil : record
    }
}
