import Definitions
import Foundation
import Graph

/// Runs software builds as child tasks of one task group, each as soon as its dependencies are
/// merged, at most `jobs` at once, sharing the job count between the builds started together.
/// Among ready software, the one with the longest chain still to build (by the last recorded
/// build times, `BuildDurations`) starts first. A live-install software runs with nothing else
/// building. With a jobserver (the default) the job count is shared at every moment instead.
///
/// Only this loop touches the install dir and the build state: children build (or find their
/// layer in the cache) and return; the loop merges each finished layer, checks for stray writes
/// and starts whatever became ready. Cancelling the task stops every child's processes.
struct Scheduler {
    struct State: Sendable {
        var layers: [String: Layer] = [:]
        var owners: [String: String] = [:]
        var built: [String] = []
        var restored: [String] = []
        /// Restored from the remote cache, with the bytes fetched and the seconds it took.
        var restoredRemotely: [(software: String, bytes: Int64, seconds: Double)] = []
        var uploaded: [(software: String, bytes: Int64, seconds: Double)] = []
    }

    /// What a child task hands back to the loop.
    private enum Finished: Sendable {
        case restored(LayerCache.Entry)
        case restoredRemotely(LayerCache.Entry, bytes: Int64, seconds: Double)
        /// An upload to the remote cache ended (it never fails the build).
        case upload(RemoteOutcome)
        case built(tree: String, layer: Layer, alreadyInPlace: Bool, seconds: Double)
    }

    let builder: ProjectBuilder
    let inputs: [String: SoftwareInputs]

    func run() async throws(BuildError) -> State {
        let order = builder.graph.order
        let jobs = builder.settings.jobs
        let cache = LayerCache(cacheDir: builder.settings.cacheDir)
        cache.sweepStale()
        let remote = builder.settings.remoteCache.map { RemoteLayerCache(settings: $0, localLayersDirectory: cache.directory) }
        // One per run: tokens a killed make never returned go with the run that killed it.
        let jobserver: Jobserver?
        do { jobserver = builder.settings.jobserver ? try Jobserver(jobs: jobs) : nil } catch { throw .refused(error.description) }
        let compilerCache: CompilerCache?
        // ccache and its directory live on the host; a clean root has neither, so platform
        // builds compile without it.
        do { compilerCache = builder.settings.ccache && builder.platformRoot == nil ? try CompilerCache(cacheDir: builder.settings.cacheDir) : nil } catch {
            throw .refused(error.description)
        }
        var durations = BuildDurations(cacheDir: builder.settings.cacheDir, project: builder.graph.project.name)
        let chains = durations.remainingChains(order)
        defer { durations.save() }
        var state = State()
        var survey = StrayWriteSurvey(installDir: builder.graph.project.installDir, ignoredTopLevel: [InstallDirGuard.markerName])
        var pending = order.map(\.name)
        var done = Set<String>()
        var running: Set<String> = []
        var liveRunning = false
        var failure: BuildFailure?

        let outcome: Void? = await withTaskGroup(of: (String, Result<Finished, BuildFailure>).self) { group in
            func startReady() {
                guard failure == nil, !Task.isCancelled else { return }
                let ready = BuildDurations.longestChainFirst(
                    order.filter { pending.contains($0.name) && $0.dependencies.allSatisfy(done.contains) }, chains: chains)
                for node in ready where !liveRunning && running.count < jobs {
                    if node.software.liveInstall && !running.isEmpty { break }
                    let share = max(1, jobs / max(1, min(jobs, running.count + ready.count)))
                    pending.removeAll { $0 == node.name }
                    running.insert(node.name)
                    if node.software.liveInstall { liveRunning = true }
                    group.addTask { (node.name, await work(node, jobs: share, jobserver: jobserver, compilerCache: compilerCache, cache: cache, remote: remote)) }
                    if node.software.liveInstall { break }
                }
            }
            startReady()
            while let (name, result) = await group.next() {
                // An upload is not a build: it neither frees a job nor finishes a software.
                if case .success(.upload(let uploaded)) = result {
                    report(uploaded, of: name, state: &state)
                    continue
                }
                running.remove(name)
                let node = builder.graph[name]!
                if node.software.liveInstall { liveRunning = false }
                switch result {
                case .success(let finished):
                    if case .built(_, _, _, let seconds) = finished { durations.record(name, seconds: seconds) }
                    do throws(BuildFailure) {
                        try finish(node, finished, cache: cache, othersRunning: running.sorted(), state: &state, survey: &survey)
                        done.insert(name)
                        if case .built = finished, let remote, remote.settings.upload, builder.settings.useLayerCache {
                            let key = inputs[name]!.key
                            group.addTask { (name, .success(.upload(await remote.upload(key: key)))) }
                        }
                    } catch {
                        failure = failure ?? error
                        builder.reporter.report(.state(software: name, .failed))
                    }
                case .failure(let error):
                    if case .cancelled = error.reason {} else {
                        failure = failure ?? error
                        builder.reporter.report(.state(software: name, .failed))
                    }
                }
                if failure != nil { group.cancelAll() }
                startReady()
            }
            return failure == nil && !Task.isCancelled && done.count == order.count ? () : nil
        }
        if let failure { throw .failed(failure) }
        guard outcome != nil else { throw .cancelled }
        return state
    }

    /// Merges a finished layer into the install dir and records it; on the loop, so merges and
    /// the ownership map are never concurrent.
    private func finish(_ node: ResolvedSoftware, _ finished: Finished, cache: LayerCache, othersRunning: [String],
                        state: inout State, survey: inout StrayWriteSurvey) throws(BuildFailure) {
        let logPath = builder.paths.log(node.name)
        switch finished {
        case .restored(let entry):
            try merge(node, tree: entry.tree, layer: entry.layer, state: &state, survey: &survey)
            state.restored.append(node.name)
            builder.reporter.report(.state(software: node.name, .cached))
        case .restoredRemotely(let entry, let bytes, let seconds):
            try merge(node, tree: entry.tree, layer: entry.layer, state: &state, survey: &survey)
            state.restoredRemotely.append((node.name, bytes, seconds))
            builder.reporter.report(.state(software: node.name, .restoredRemotely(bytes: bytes, seconds: seconds)))
        case .upload:
            break
        case .built(var tree, let layer, let alreadyInPlace, let seconds):
            // Checked before caching: a layer missing what its software wrote elsewhere must never be restored.
            if !alreadyInPlace {
                try checkNoStrayWrites(by: node, others: othersRunning, owners: state.owners, survey: &survey, logPath: logPath)
            }
            if builder.settings.useLayerCache {
                do { tree = try cache.store(tree: tree, layer: layer).tree } catch {
                    throw BuildFailure(software: node.name, step: nil, reason: .io("cannot store the layer in the cache: \(error)"),
                                       lastLines: [], logPath: logPath)
                }
            }
            if alreadyInPlace {
                for entry in layer.entries where state.owners[entry.path] == nil { state.owners[entry.path] = node.name }
                state.layers[node.name] = layer
            } else {
                try merge(node, tree: tree, layer: layer, state: &state, survey: &survey)
            }
            state.built.append(node.name)
            builder.reporter.report(.state(software: node.name, .done(seconds: seconds)))
        }
    }

    private func merge(_ node: ResolvedSoftware, tree: String, layer: Layer, state: inout State,
                       survey: inout StrayWriteSurvey) throws(BuildFailure) {
        builder.reporter.report(.state(software: node.name, .merging))
        do {
            try LayerMerger(installDir: builder.graph.project.installDir)
                .merge(tree: tree, entries: layer.entries, software: node.name, owners: &state.owners)
            try FileManager.default.createDirectory(atPath: builder.paths.layersDir, withIntermediateDirectories: true)
            try LayerRecord.encode(layer).write(to: URL(fileURLWithPath: builder.paths.layerRecord(node.name)))
        } catch {
            throw BuildFailure(software: node.name, step: nil, reason: .merge("\(error)"), lastLines: [],
                               logPath: builder.paths.log(node.name))
        }
        state.layers[node.name] = layer
        survey.merged(directories: Self.directories(written: layer), owners: state.owners)
    }

    /// The install-dir-relative directories a merge of `layer` adds names to ("" for the install dir).
    private static func directories(written layer: Layer) -> Set<String> {
        var directories: Set<String> = []
        for entry in layer.entries {
            if entry.kind == .directory { directories.insert(entry.path) }
            let slash = entry.path.lastIndex(of: "/")
            directories.insert(slash.map { String(entry.path[..<$0]) } ?? "")
        }
        return directories
    }

    /// A staged software must write only below `$DESTDIR`. One that installs into the live
    /// install dir anyway (typically a Makefile that assigns `DESTDIR=` itself, which overrides
    /// the environment) would leave files no layer records: they would vanish from cached
    /// rebuilds and be attributed to no one. Every file in the install dir must belong to a
    /// merged layer, so such files are found right after the build and stop it.
    private func checkNoStrayWrites(by node: ResolvedSoftware, others: [String], owners: [String: String],
                                    survey: inout StrayWriteSurvey, logPath: String) throws(BuildFailure) {
        let installDir = builder.graph.project.installDir
        let started = ContinuousClock.now
        let stray: [String]
        let cost: StrayWriteSurvey.Cost
        do { (stray, cost) = try survey.strays(owners: owners) } catch {
            throw BuildFailure(software: node.name, step: nil, reason: .io("cannot inspect \(installDir): \(error)"),
                               lastLines: [], logPath: logPath)
        }
        let elapsed = ContinuousClock.now - started
        let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
        builder.reporter.report(.strayWriteCheck(software: node.name, seconds: seconds,
                                                 directoriesListed: cost.listed, directoriesVisited: cost.visited))
        guard !stray.isEmpty else { return }
        let shown = stray.prefix(5).joined(separator: ", ") + (stray.count > 5 ? " and \(stray.count - 5) more" : "")
        let who = others.isEmpty ? node.name : "\(node.name) (or \(others.joined(separator: ", ")), building at the same time)"
        let message = "\(who) wrote into the install dir \(installDir) instead of its staging root $DESTDIR: \(shown). "
            + "A Makefile that sets DESTDIR itself ignores the environment's: pass it on make's command line "
            + "(make: [install, \"DESTDIR={{destdir}}\"]), or declare 'live_install: true' in \(node.software.file)"
        throw BuildFailure(software: node.name, step: nil, reason: .merge(message), lastLines: [], logPath: logPath)
    }

    private func report(_ outcome: RemoteOutcome, of software: String, state: inout State) {
        switch outcome {
        case .uploaded(let bytes, let seconds):
            state.uploaded.append((software, bytes, seconds))
            builder.reporter.report(.note("\(software): uploaded to the remote cache (\(bytes) bytes in \(String(format: "%.1f", seconds))s)"))
        case .skipped:
            break
        default:
            builder.reporter.report(.note("\(software): not uploaded to the remote cache: \(outcome)"))
        }
    }

    /// A child task: the layer from the local cache, else from the remote one, else a build of it.
    private func work(_ node: ResolvedSoftware, jobs: Int, jobserver: Jobserver?, compilerCache: CompilerCache?, cache: LayerCache, remote: RemoteLayerCache?) async -> Result<Finished, BuildFailure> {
        let started = Date()
        let inputs = self.inputs[node.name]!
        if builder.settings.useLayerCache {
            switch cache.lookup(inputs.key) {
            case .hit(let cached): return .success(.restored(cached))
            case .corrupt(let problem):
                builder.reporter.report(.note("\(node.name): the cached layer \(inputs.key) was damaged (\(problem)); it was removed and \(node.name) is built again"))
            case .miss: break
            }
            if let remote {
                let outcome = await remote.restore(key: inputs.key)
                if case .restored(let bytes, let seconds) = outcome, let entry = cache.storedEntry(inputs.key) {
                    return .success(.restoredRemotely(entry, bytes: bytes, seconds: seconds))
                }
                switch outcome {
                case .miss, .restored: break
                default:
                    // The server never fails a build: say why it was not used, and build.
                    builder.reporter.report(.note("\(node.name): remote cache not used: \(outcome)"))
                }
            }
        }
        do throws(BuildFailure) {
            let sandbox = builder.platformRoot?.sandbox(workDir: builder.paths.projectDir, installDir: builder.graph.project.installDir,
                                                        network: node.software.network)
            let outcome = try await SoftwareBuild(inputs: inputs, paths: builder.paths, jobs: jobs, jobserver: jobserver,
                                                  compilerCache: compilerCache, sources: builder.sources,
                                                  reporter: builder.reporter, verbose: builder.settings.verbose,
                                                  sandbox: sandbox).run()
            return .success(.built(tree: outcome.tree, layer: outcome.layer, alreadyInPlace: outcome.alreadyInPlace,
                                   seconds: Date().timeIntervalSince(started)))
        } catch {
            return .failure(error)
        }
    }
}
