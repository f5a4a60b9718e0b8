import Definitions
import Foundation
import Graph

/// Builds one software into its own staging root and turns the result into a layer.
struct SoftwareBuild {
    /// The only inputs of the build; `inputs.key` is its layer key.
    let inputs: SoftwareInputs
    let paths: WorkPaths
    let jobs: Int
    /// The build's one jobserver, shared by every software; nil with `--no-jobserver`.
    let jobserver: Jobserver?
    let compilerCache: CompilerCache?
    let sources: SourcePreparation
    let reporter: BuildReporter
    let verbose: Bool
    /// The clean root the steps' commands run in; nil on the host.
    var sandbox: RootSandbox? = nil

    struct Outcome {
        /// A directory laid out like the install dir holding exactly this layer's files.
        let tree: String
        let layer: Layer
        /// Live installs are already in place; only staged layers need merging.
        let alreadyInPlace: Bool
    }

    func run() async throws(BuildFailure) -> Outcome {
        let name = inputs.software
        let cacheKey = inputs.key
        let logPath = paths.log(name)
        let log: BuildLog
        var echo: (@Sendable (String) -> Void)?
        if verbose {
            echo = { [reporter] line in reporter.report(.output(software: name, line: line)) }
        }
        do {
            log = try BuildLog(path: logPath, echo: echo)
        } catch {
            throw BuildFailure(software: name, step: nil, reason: .io("cannot create the log \(logPath): \(error)"),
                               lastLines: [], logPath: logPath)
        }
        var current: BuildFailure.Step?
        func fail(_ reason: BuildFailure.Reason) -> BuildFailure {
            log.note("error: \(reason)")
            return BuildFailure(software: name, step: current, reason: reason, lastLines: log.lastLines, logPath: logPath)
        }
        do throws(BuildFailure.Reason) {
            log.note("# \(name) \(inputs.version) for \(inputs.project), layer key \(cacheKey)")
            log.note("# key inputs: " + String(decoding: inputs.canonicalJSON, as: UTF8.self))
            let buildRoot = paths.build(name)
            let staging = inputs.liveInstall ? nil : paths.staging(name)
            try fresh(buildRoot)
            if let staging { try fresh(staging) }
            try fresh(paths.homeDir, keep: true)
            try fresh(paths.tmpDir, keep: true)

            reporter.report(.state(software: name, .fetching))
            let prepared = try await sources.prepare(inputs.source, relativePath: inputs.relativePath,
                                                     into: buildRoot) { line in log.note(line) }
            // The key was taken from the source as it was when the build started; a path source
            // edited since would build into a layer whose key names other bytes.
            guard prepared.identity == inputs.sourceIdentity else {
                throw .fetch("the source of \(name) changed after the build started (keyed as \(inputs.sourceIdentity), now \(prepared.identity)); build again once it is no longer being edited")
            }
            let buildDir = prepared.buildDirectory
            log.note("# build directory: \(buildDir)")

            let variables = [
                "install_dir": inputs.installDir, "embedded": inputs.embeddedDir, "version": inputs.version,
                "jobs": String(jobs), "destdir": staging ?? "", "source_dir": buildDir, "project": inputs.project,
            ]
            let wrappers = try CompilerWrappers.install(in: paths.compilers(name), buildDir: buildDir,
                                                        toolPath: HostIdentity.toolPath, launcher: compilerCache?.launcher,
                                                        systemRoot: sandbox?.root)
            let environment: BuildEnvironment
            do {
                environment = try BuildEnvironment(inputs: inputs, interpolation: variables, compilerWrappers: wrappers,
                                                   destdir: staging, paths: paths, compilerCache: compilerCache)
            } catch {
                throw .invalidStep("cannot expand the software's env: \(error)")
            }
            log.note("# environment (cleared, then pinned):")
            environment.logLines.forEach { log.note("#   " + $0) }

            let before = inputs.liveInstall ? try snapshot(inputs.installDir) : []
            let context = StepContext(software: name, installDir: inputs.installDir, definitionDir: inputs.definitionDir, buildDir: buildDir,
                                      destdir: staging, environment: environment, variables: variables, jobs: jobs,
                                      jobserver: jobserver,
                                      buildLog: log, sandbox: sandbox, network: inputs.network)
            let steps = inputs.steps
            for (offset, step) in steps.enumerated() {
                let summary = Self.label(step.value.summary, variables: variables)
                current = BuildFailure.Step(index: offset + 1, count: steps.count, kind: summary, location: step.location)
                reporter.report(.state(software: name, .building(step: offset + 1, of: steps.count, summary: summary, log: logPath)))
                log.startStep()
                log.note("## step \(offset + 1)/\(steps.count): \(summary)  (\(step.location))")
                if Task.isCancelled { throw .cancelled }
                var stepContext = context
                if !step.value.env.isEmpty {
                    do { stepContext.environment = try environment.overlaid(with: step.value.env, interpolation: variables) } catch {
                        throw .invalidStep("cannot expand the step's env: \(error)")
                    }
                    step.value.env.forEach { log.note("#   step env: \($0.name)=\(stepContext.environment.variables[$0.name] ?? "")") }
                }
                do { try await step.value.kind.perform(in: stepContext) } catch { throw BuildFailure.Reason(error) }
            }
            current = nil

            let tree: String
            if let staging {
                tree = staging + inputs.installDir
                try collectLicenses(from: buildDir, into: tree, log: log)
                do { try StagingRoot(root: staging, installDir: inputs.installDir).prepare() } catch {
                    throw .merge(error.description)
                }
            } else {
                tree = paths.staging(name) + "-live"
                try collectLicenses(from: buildDir, into: inputs.installDir, log: log)
                try captureLiveLayer(before: before, into: tree)
            }
            let entries: [Layer.Entry]
            do {
                entries = FileManager.default.fileExists(atPath: tree) ? try TreeScanner.scan(tree) : []
            } catch {
                throw .io(error.description)
            }
            log.note("# layer: \(entries.filter { $0.kind != .directory }.count) files")
            let naming = WorkDirReferences.files(in: tree, entries: entries, naming: WorkDirReferences.spellings(of: paths.projectDir))
            if !naming.isEmpty {
                let warning = WorkDirReferences.warning(software: name, workDir: paths.projectDir, files: naming)
                log.note(warning)
                naming.forEach { log.note("#   names the work dir: " + $0) }
                reporter.report(.note(warning))
            }
            return Outcome(tree: tree, layer: Layer(software: name, version: inputs.version, cacheKey: cacheKey,
                                                    project: inputs.project, entries: entries),
                           alreadyInPlace: inputs.liveInstall)
        } catch {
            throw fail(Task.isCancelled ? .cancelled : error)
        }
    }

    /// A step's summary as the user reads it: with the paths this build uses, not `{{embedded}}`.
    /// A summary that is not a valid template (a kind may show a literal `{{`) stays as written.
    static func label(_ summary: String, variables: [String: String]) -> String {
        (try? Interpolation.render(summary, values: variables)) ?? summary
    }

    /// License files named by the definition travel inside the layer (`LICENSES/<software>/`),
    /// so a layer restored from the cache still carries them.
    private func collectLicenses(from buildDir: String, into installTree: String, log: BuildLog) throws(BuildFailure.Reason) {
        guard !inputs.licenseFiles.isEmpty else { return }
        let target = installTree + "/LICENSES/" + inputs.software
        for file in inputs.licenseFiles {
            let source = buildDir + "/" + file
            guard FileManager.default.fileExists(atPath: source) else {
                throw .invalidStep("license file '\(file)' is not in the \(inputs.software) source (\(buildDir)); fix 'license_files' in \(inputs.definitionFile)")
            }
            let destination = target + "/" + (file as NSString).lastPathComponent
            do {
                try FileManager.default.createDirectory(atPath: target, withIntermediateDirectories: true)
                if FileManager.default.fileExists(atPath: destination) { try FileManager.default.removeItem(atPath: destination) }
                try FileManager.default.copyItem(atPath: source, toPath: destination)
                chmod(destination, 0o644)
            } catch {
                throw .io("cannot copy license file \(source): \(error.localizedDescription)")
            }
            log.note("# license: \(file) -> LICENSES/\(inputs.software)/")
        }
    }

    private func snapshot(_ dir: String) throws(BuildFailure.Reason) -> [Layer.Entry] {
        guard FileManager.default.fileExists(atPath: dir) else { return [] }
        do { return try TreeScanner.scan(dir, hashing: false) } catch { throw .io(error.description) }
    }

    /// A live install's layer is what changed in the install dir; it is copied aside so it can
    /// be cached and restored like a staged one.
    private func captureLiveLayer(before: [Layer.Entry], into tree: String) throws(BuildFailure.Reason) {
        let after = try snapshot(inputs.installDir)
        let previous = Dictionary(before.map { ($0.path, $0) }, uniquingKeysWith: { first, _ in first })
        let changed = after.filter { previous[$0.path] != $0 }
        let fm = FileManager.default
        try fresh(tree)
        for entry in changed {
            let source = inputs.installDir + "/" + entry.path
            let destination = tree + "/" + entry.path
            do {
                try fm.createDirectory(atPath: (destination as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
                switch entry.kind {
                case .directory: try fm.createDirectory(atPath: destination, withIntermediateDirectories: true)
                case .symlink: try fm.createSymbolicLink(atPath: destination, withDestinationPath: entry.target ?? "")
                case .file: try fm.copyItem(atPath: source, toPath: destination)
                }
            } catch {
                throw .io("cannot capture \(source): \(error.localizedDescription)")
            }
        }
    }

    private func fresh(_ dir: String, keep: Bool = false) throws(BuildFailure.Reason) {
        let fm = FileManager.default
        do {
            if !keep, fm.fileExists(atPath: dir) { try fm.removeItem(atPath: dir) }
            try fm.createDirectory(atPath: dir, withIntermediateDirectories: true)
        } catch {
            throw .io("cannot prepare \(dir): \(error.localizedDescription)")
        }
    }
}
