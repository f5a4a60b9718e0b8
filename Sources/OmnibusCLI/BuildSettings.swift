import ArgumentParser
import Foundation
import OmnibusKit

/// Options shared by the commands that build or read build output.
struct BuildSettings: ParsableArguments {
    @Option(name: [.short, .long], help: "Parallel jobs shared by all software building at once (default: the number of cores).")
    var jobs: Int?

    @Option(name: .customLong("work-dir"), help: ArgumentHelp("Build trees, staging roots and logs (default: <cache-dir>/work; env OMNIBUS_WORK_DIR).", valueName: "dir"))
    var workDir: String?

    @Option(name: .customLong("cache-dir"), help: ArgumentHelp("Source and layer caches (default: ~/.cache/omnibus; env OMNIBUS_CACHE_DIR).", valueName: "dir"))
    var cacheDir: String?

    @Option(name: .customLong("source-mirror"),
            help: ArgumentHelp("A directory or URL searched for sources before upstream, by file name and by checksum (repeatable; env OMNIBUS_SOURCE_MIRRORS, space-separated).",
                               valueName: "dir|url"))
    var sourceMirrors: [String] = []

    @Flag(help: "Never contact upstream URLs: sources come from the source cache and the mirrors only.")
    var offline = false

    @Flag(name: .customLong("no-cache"), help: "Build every software from source instead of restoring unchanged layers.")
    var noCache = false

    @Flag(name: [.short, .long], help: "Stream build output as well as writing it to the logs.")
    var verbose = false

    func validate() throws {
        if let jobs, jobs < 1 { throw ValidationError("--jobs must be 1 or more") }
    }

    func options(for workspace: Workspace, environment: [String: String] = ProcessInfo.processInfo.environment) -> BuildOptions {
        let config = workspace.config
        func absolute(_ path: String) -> String {
            path.hasPrefix("/") ? path : FileManager.default.currentDirectoryPath + "/" + path
        }
        let cache = (cacheDir ?? environment["OMNIBUS_CACHE_DIR"]).map(absolute)
            ?? config.cacheDir ?? BuildOptions.defaultCacheRoot(environment: environment)
        let work = (workDir ?? environment["OMNIBUS_WORK_DIR"]).map(absolute) ?? config.workDir ?? cache + "/work"
        let fromEnvironment = (environment["OMNIBUS_SOURCE_MIRRORS"] ?? "").split(whereSeparator: \.isWhitespace).map(String.init)
        let mirrors = (sourceMirrors + fromEnvironment).map { $0.contains("://") ? $0 : absolute($0) } + config.sourceMirrors
        var epoch: Int?
        if let text = environment["SOURCE_DATE_EPOCH"], let value = Int(text) { epoch = value }
        return BuildOptions(jobs: jobs ?? ProcessInfo.processInfo.activeProcessorCount, workDir: work, cacheDir: cache,
                            sourceMirrors: mirrors, useLayerCache: !noCache, verbose: verbose, sourceDateEpoch: epoch)
    }
}
