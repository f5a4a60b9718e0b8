import Foundation

/// How a build runs: everything the command line, config file and environment can change.
package struct BuildOptions: Sendable {
    /// Total parallelism shared by the software building at the same time.
    package var jobs: Int
    /// Build trees, staging roots and logs (`<work>/<project>/...`).
    package var workDir: String
    /// Source cache and layer cache.
    package var cacheDir: String
    /// Source mirrors (directories or URLs), tried in order before upstream URLs.
    package var sourceMirrors: [String]
    package var useLayerCache: Bool
    /// Stream build output to the terminal as well as to the logs.
    package var verbose: Bool
    /// Clamp for timestamps written by builds and packages; nil means "from git, else a fixed date".
    package var sourceDateEpoch: Int?

    package init(jobs: Int = ProcessInfo.processInfo.activeProcessorCount, workDir: String, cacheDir: String,
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
    package static func defaultCacheRoot(environment: [String: String] = ProcessInfo.processInfo.environment) -> String {
        if let xdg = environment["XDG_CACHE_HOME"], xdg.hasPrefix("/") { return xdg + "/omnibus" }
        return FileManager.default.homeDirectoryForCurrentUser.path + "/.cache/omnibus"
    }
}

/// Where a project's build puts things under the work directory.
package struct WorkPaths: Sendable {
    package let projectDir: String

    package init(workDir: String, project: String) {
        projectDir = workDir + "/" + project
    }

    package var logsDir: String { projectDir + "/logs" }
    package var buildsDir: String { projectDir + "/build" }
    package var stagingDir: String { projectDir + "/staging" }
    package var layersDir: String { projectDir + "/layers" }
    package var homeDir: String { projectDir + "/home" }
    package var tmpDir: String { projectDir + "/tmp" }
    /// Records the install dir this tool created, so only that one is ever deleted.
    package var installDirRecord: String { projectDir + "/install-dir.json" }

    package func log(_ software: String) -> String { logsDir + "/" + software + ".log" }
    package func build(_ software: String) -> String { buildsDir + "/" + software }
    package func staging(_ software: String) -> String { stagingDir + "/" + software }
    package func layerRecord(_ software: String) -> String { layersDir + "/" + software + ".json" }
}
