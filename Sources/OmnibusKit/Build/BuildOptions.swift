import Foundation

/// How a build runs: everything the command line, config file and environment can change.
public struct BuildOptions: Sendable {
    /// Total parallelism shared by the software building at the same time.
    public var jobs: Int
    /// Build trees, staging roots and logs (`<work>/<project>/...`).
    public var workDir: String
    /// Source cache and layer cache.
    public var cacheDir: String
    /// Source mirrors (directories or URLs), tried in order before upstream URLs.
    public var sourceMirrors: [String]
    public var useLayerCache: Bool
    /// Stream build output to the terminal as well as to the logs.
    public var verbose: Bool
    /// Clamp for timestamps written by builds and packages; nil means "from git, else a fixed date".
    public var sourceDateEpoch: Int?

    public init(jobs: Int = ProcessInfo.processInfo.activeProcessorCount, workDir: String, cacheDir: String,
                sourceMirrors: [String] = [], useLayerCache: Bool = true, verbose: Bool = false,
                sourceDateEpoch: Int? = nil) {
        self.jobs = max(1, jobs)
        self.workDir = workDir
        self.cacheDir = cacheDir
        self.sourceMirrors = sourceMirrors
        self.useLayerCache = useLayerCache
        self.verbose = verbose
        self.sourceDateEpoch = sourceDateEpoch
    }

    /// `$XDG_CACHE_HOME/omnibus` or `~/.cache/omnibus`: per user, outside the repository.
    public static func defaultCacheRoot(environment: [String: String] = ProcessInfo.processInfo.environment) -> String {
        if let xdg = environment["XDG_CACHE_HOME"], xdg.hasPrefix("/") { return xdg + "/omnibus" }
        return FileManager.default.homeDirectoryForCurrentUser.path + "/.cache/omnibus"
    }
}

/// Where a project's build puts things under the work directory.
public struct WorkPaths: Sendable {
    public let projectDir: String

    public init(workDir: String, project: String) {
        projectDir = workDir + "/" + project
    }

    public var logsDir: String { projectDir + "/logs" }
    public var buildsDir: String { projectDir + "/build" }
    public var stagingDir: String { projectDir + "/staging" }
    public var layersDir: String { projectDir + "/layers" }
    public var homeDir: String { projectDir + "/home" }
    public var tmpDir: String { projectDir + "/tmp" }
    /// Records the install dir this tool created, so only that one is ever deleted.
    public var installDirRecord: String { projectDir + "/install-dir.json" }

    public func log(_ software: String) -> String { logsDir + "/" + software + ".log" }
    public func build(_ software: String) -> String { buildsDir + "/" + software }
    public func staging(_ software: String) -> String { stagingDir + "/" + software }
    public func layerRecord(_ software: String) -> String { layersDir + "/" + software + ".json" }
}
