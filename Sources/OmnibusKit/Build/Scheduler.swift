import Definitions
import Foundation
import Graph

/// Runs software builds on worker threads as soon as their dependencies are merged, at most
/// `jobs` at once, sharing the job count between the builds running together. A live-install
/// software runs with nothing else building.
final class Scheduler: @unchecked Sendable {
    struct State {
        var layers: [String: Layer] = [:]
        var owners: [String: String] = [:]
        var built: [String] = []
        var restored: [String] = []
    }

    private enum Status { case pending, running, done }

    private let builder: ProjectBuilder
    private let keys: [String: String]
    private let buildEpoch: Int
    private let condition = NSCondition()
    private var status: [String: Status] = [:]
    private var running = 0
    private var liveRunning = false
    private var failure: BuildFailure?
    private var state = State()
    private let mergeLock = NSLock()
    private let cache: LayerCache

    init(builder: ProjectBuilder, keys: [String: String], buildEpoch: Int) {
        self.builder = builder
        self.keys = keys
        self.buildEpoch = buildEpoch
        self.cache = LayerCache(cacheDir: builder.options.cacheDir)
        for node in builder.graph.order { status[node.name] = .pending }
    }

    func run() throws(BuildError) -> State {
        let order = builder.graph.order
        let jobs = builder.options.jobs
        condition.lock()
        while failure == nil, !builder.registry.isCancelled, status.values.contains(where: { $0 != .done }) {
            let ready = order.filter { node in
                status[node.name] == .pending && node.dependencies.allSatisfy { status[$0] == .done }
            }
            for node in ready where !liveRunning && running < jobs {
                if node.software.liveInstall && running > 0 { break }
                let concurrent = min(jobs, running + ready.count)
                start(node, jobs: max(1, jobs / max(1, concurrent)))
                if node.software.liveInstall { break }
            }
            _ = condition.wait(until: Date().addingTimeInterval(0.5))
        }
        let failed = failure
        condition.unlock()

        if failed != nil || builder.registry.isCancelled {
            builder.registry.cancelAll()
            condition.lock()
            while running > 0 { _ = condition.wait(until: Date().addingTimeInterval(0.2)) }
            condition.unlock()
            if let failed { throw .failed(failed) }
            throw .cancelled
        }
        return state
    }

    /// Called with the condition locked.
    private func start(_ node: ResolvedSoftware, jobs: Int) {
        status[node.name] = .running
        running += 1
        if node.software.liveInstall { liveRunning = true }
        let thread = Thread { [self] in
            let result = work(node, jobs: jobs)
            condition.lock()
            running -= 1
            if node.software.liveInstall { liveRunning = false }
            switch result {
            case .success: status[node.name] = .done
            case .failure(let error):
                if failure == nil, !isCancellation(error) { failure = error }
                if case .cancelled = error.reason {} else {
                    builder.reporter.report(.state(software: node.name, .failed))
                }
            }
            condition.broadcast()
            condition.unlock()
        }
        thread.stackSize = 4 << 20
        thread.start()
    }

    /// A staged software must write only below `$DESTDIR`. One that installs into the live
    /// install dir anyway (typically a Makefile that assigns `DESTDIR=` itself, which overrides
    /// the environment) would leave files no layer records: they would vanish from cached
    /// rebuilds and be attributed to no one. Every file in the install dir must belong to a
    /// merged layer, so such files are found right after the build and stop it.
    private func checkNoStrayWrites(by node: ResolvedSoftware, logPath: String) throws(BuildFailure) {
        let installDir = builder.graph.project.installDir
        mergeLock.lock()
        defer { mergeLock.unlock() }
        let live: [Layer.Entry]
        do { live = try TreeScanner.scan(installDir, hashing: false) } catch {
            throw BuildFailure(software: node.name, step: nil, reason: .io("cannot inspect \(installDir): \(error)"),
                               lastLines: [], logPath: logPath)
        }
        let stray = live.filter { $0.kind != .directory && state.owners[$0.path] == nil }.map(\.path)
        guard !stray.isEmpty else { return }
        condition.lock()
        let others = status.filter { $0.value == .running && $0.key != node.name }.map(\.key).sorted()
        condition.unlock()
        let shown = stray.prefix(5).joined(separator: ", ") + (stray.count > 5 ? " and \(stray.count - 5) more" : "")
        let who = others.isEmpty ? node.name : "\(node.name) (or \(others.joined(separator: ", ")), building at the same time)"
        let message = "\(who) wrote into the install dir \(installDir) instead of its staging root $DESTDIR: \(shown). "
            + "A Makefile that sets DESTDIR itself ignores the environment's: pass it on make's command line "
            + "(make: [install, \"DESTDIR={{destdir}}\"]), or declare 'live_install: true' in \(node.software.file)"
        throw BuildFailure(software: node.name, step: nil, reason: .merge(message), lastLines: [], logPath: logPath)
    }

    private func isCancellation(_ failure: BuildFailure) -> Bool {
        if case .cancelled = failure.reason { return true }
        return false
    }

    private func work(_ node: ResolvedSoftware, jobs: Int) -> Result<Void, BuildFailure> {
        let reporter = builder.reporter
        let started = Date()
        let key = keys[node.name]!
        let logPath = builder.paths.log(node.name)
        func merge(_ tree: String, _ layer: Layer) throws(BuildFailure) {
            reporter.report(.state(software: node.name, .merging))
            mergeLock.lock()
            defer { mergeLock.unlock() }
            do {
                try LayerMerger(installDir: builder.graph.project.installDir)
                    .merge(tree: tree, entries: layer.entries, software: node.name, owners: &state.owners)
                try FileManager.default.createDirectory(atPath: builder.paths.layersDir, withIntermediateDirectories: true)
                try LayerRecord.encode(layer).write(to: URL(fileURLWithPath: builder.paths.layerRecord(node.name)))
            } catch {
                throw BuildFailure(software: node.name, step: nil, reason: .merge("\(error)"), lastLines: [], logPath: logPath)
            }
            state.layers[node.name] = layer
        }
        do throws(BuildFailure) {
            if builder.options.useLayerCache, let cached = cache.lookup(key) {
                try merge(cached.tree, cached.layer)
                mergeLock.lock()
                state.restored.append(node.name)
                mergeLock.unlock()
                reporter.report(.state(software: node.name, .cached))
                return .success(())
            }
            let outcome = try SoftwareBuild(node: node, project: builder.graph.project, paths: builder.paths, cacheKey: key,
                                            jobs: jobs, buildEpoch: buildEpoch, sources: builder.sources,
                                            registry: builder.registry, reporter: reporter, verbose: builder.options.verbose,
                                            caller: builder.caller).run()
            if !outcome.alreadyInPlace { try checkNoStrayWrites(by: node, logPath: logPath) }
            var tree = outcome.tree
            if builder.options.useLayerCache {
                do { tree = try cache.store(tree: outcome.tree, layer: outcome.layer).tree } catch {
                    throw BuildFailure(software: node.name, step: nil, reason: .io("cannot store the layer in the cache: \(error)"),
                                       lastLines: [], logPath: logPath)
                }
            }
            if outcome.alreadyInPlace {
                mergeLock.lock()
                for entry in outcome.layer.entries where state.owners[entry.path] == nil { state.owners[entry.path] = node.name }
                state.layers[node.name] = outcome.layer
                mergeLock.unlock()
            } else {
                try merge(tree, outcome.layer)
            }
            mergeLock.lock()
            state.built.append(node.name)
            mergeLock.unlock()
            reporter.report(.state(software: node.name, .done(seconds: Date().timeIntervalSince(started))))
            return .success(())
        } catch {
            return .failure(error)
        }
    }
}
