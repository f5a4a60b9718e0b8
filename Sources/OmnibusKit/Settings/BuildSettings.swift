import Definitions
import Fetch
import Foundation

/// How a run behaves, after precedence: a command-line flag, else an environment variable, else
/// `omnibus.config.yml`, else the default. Commands hand over what they parsed (`Flags`); only
/// `resolve` decides, so every command agrees.
package struct BuildSettings: Sendable {
    /// Total parallelism shared by the software building at the same time.
    package var jobs: Int
    /// Build trees, staging roots and logs (`<work>/<project>/...`).
    package var workDir: String
    /// Source cache and layer cache.
    package var cacheDir: String
    /// Source mirrors (directories or URLs), tried in order before upstream URLs.
    package var sourceMirrors: [String]
    /// Never contact upstream URLs.
    package var offline: Bool
    package var useLayerCache: Bool
    /// Stream build output to the terminal as well as to the logs.
    package var verbose: Bool
    /// Clamp for timestamps written by builds; nil means the fixed build epoch.
    package var sourceDateEpoch: Int?
    /// Where packages and their metadata go.
    package var outputDir: String
    /// When another run holds the install dir: wait for it (true) or stop at once.
    package var waitForLock: Bool
    /// A shared layer cache, if one is configured (and not turned off by `--no-cache`).
    package var remoteCache: RemoteCacheSettings?
    /// Seconds one source download may take, every attempt and wait between attempts included.
    package var downloadTimeout: Int
    /// Bytes per second a download attempt must average over `DownloadLimits.defaultRateWindow`
    /// seconds; 0 turns the check off.
    package var downloadMinimumRate: Int

    /// The key packages and repositories are signed with; nil: nothing is signed.
    package var signing: SigningSettings?
    /// One GNU make jobserver for the whole build (docs/build.md); false: each make gets `-j<share>`.
    package var jobserver = true
    /// Compile C and C++ through ccache, its directory in the cache (docs/build.md).
    package var ccache = false
    /// The package index `pypi` sources are located through (its JSON API base); nil: PyPI.
    package var pypiIndex: String?

    package static let defaultDownloadTimeout = Int(DownloadLimits.defaultDeadline)

    package init(jobs: Int = ProcessInfo.processInfo.activeProcessorCount, workDir: String, cacheDir: String,
                 sourceMirrors: [String] = [], offline: Bool = false, useLayerCache: Bool = true, verbose: Bool = false,
                 sourceDateEpoch: Int? = nil, outputDir: String, waitForLock: Bool = true,
                 downloadTimeout: Int = defaultDownloadTimeout, downloadMinimumRate: Int = DownloadLimits.defaultMinimumRate) {
        self.jobs = max(1, jobs)
        self.workDir = workDir
        self.cacheDir = cacheDir
        self.sourceMirrors = sourceMirrors
        self.offline = offline
        self.useLayerCache = useLayerCache
        self.verbose = verbose
        self.sourceDateEpoch = sourceDateEpoch
        self.outputDir = outputDir
        self.waitForLock = waitForLock
        self.downloadTimeout = max(1, downloadTimeout)
        self.downloadMinimumRate = max(0, downloadMinimumRate)
    }

    /// What a command line said; nil and empty mean "not given".
    package struct Flags: Sendable {
        package var jobs: Int?
        package var workDir: String?
        package var cacheDir: String?
        package var sourceMirrors: [String] = []
        package var offline = false
        package var noCache = false
        package var verbose = false
        package var outputDir: String?
        package var noWait = false
        package var remoteCache: String?
        package var remoteCacheUpload = false
        package var downloadTimeout: Int?
        package var downloadMinimumRate: Int?
        /// `--signing-key`; `--no-sign` turns a configured key off for this run.
        package var signingKey: String?
        package var noSign = false
        /// `--no-jobserver`.
        package var noJobserver = false
        /// `--ccache` (true) or `--no-ccache` (false).
        package var ccache: Bool?

        package init(jobs: Int? = nil, workDir: String? = nil, cacheDir: String? = nil, sourceMirrors: [String] = [],
                     offline: Bool = false, noCache: Bool = false, verbose: Bool = false, outputDir: String? = nil,
                     noWait: Bool = false, downloadTimeout: Int? = nil, downloadMinimumRate: Int? = nil) {
            self.jobs = jobs
            self.workDir = workDir
            self.cacheDir = cacheDir
            self.sourceMirrors = sourceMirrors
            self.offline = offline
            self.noCache = noCache
            self.verbose = verbose
            self.outputDir = outputDir
            self.noWait = noWait
            self.downloadTimeout = downloadTimeout
            self.downloadMinimumRate = downloadMinimumRate
        }
    }

    /// The environment variables `resolve` reads.
    package static let environmentVariables = ["OMNIBUS_CACHE_DIR", "OMNIBUS_WORK_DIR", "OMNIBUS_SOURCE_MIRRORS",
                                               "OMNIBUS_DOWNLOAD_TIMEOUT", "OMNIBUS_DOWNLOAD_MIN_RATE",
                                               "SOURCE_DATE_EPOCH", "XDG_CACHE_HOME", "HOME",
                                               "OMNIBUS_SIGNING_KEY", "OMNIBUS_SIGNING_PASSPHRASE_FILE", "GNUPGHOME",
                                               "OMNIBUS_JOBSERVER", "OMNIBUS_CCACHE", "OMNIBUS_PYPI_INDEX"]

    /// Flags > environment > the repository's config > defaults. Relative paths on the command
    /// line or in the environment are relative to the current directory; the config's were made
    /// absolute against the repository when it was loaded. A number in the environment that
    /// cannot be used is an error rather than silently the default: the user meant something.
    package static func resolve(_ flags: Flags, config: RepositoryConfig, repositoryRoot: String,
                                environment: [String: String] = ProcessInfo.processInfo.environment,
                                currentDirectory: String = FileManager.default.currentDirectoryPath)
        throws(SettingsError) -> BuildSettings {
        func absolute(_ path: String) -> String { path.hasPrefix("/") ? path : currentDirectory + "/" + path }
        func given(_ value: String?) -> String? { value.flatMap { $0.isEmpty ? nil : $0 } }
        func switched(_ flag: Bool?, _ variable: String, _ configured: Bool?, _ fallback: Bool) throws(SettingsError) -> Bool {
            if let flag { return flag }
            if let text = given(environment[variable]) {
                switch text.lowercased() {
                case "1", "true", "yes", "on": return true
                case "0", "false", "no", "off": return false
                default: throw .invalidEnvironment(variable: variable, value: text, expected: "1 or 0 (true/false, yes/no, on/off)")
                }
            }
            return configured ?? fallback
        }
        func number(_ flag: Int?, _ variable: String, atLeast minimum: Int, expected: String,
                    _ configured: Int?, _ fallback: Int) throws(SettingsError) -> Int {
            if let flag { return flag }
            if let text = given(environment[variable]) {
                guard let value = Int(text.trimmingCharacters(in: .whitespaces)), value >= minimum else {
                    throw .invalidEnvironment(variable: variable, value: text, expected: expected)
                }
                return value
            }
            return configured ?? fallback
        }
        let cache = (given(flags.cacheDir) ?? given(environment["OMNIBUS_CACHE_DIR"])).map(absolute)
            ?? config.cacheDir ?? defaultCacheRoot(environment: environment)
        let work = (given(flags.workDir) ?? given(environment["OMNIBUS_WORK_DIR"])).map(absolute)
            ?? config.workDir ?? cache + "/work"
        let fromEnvironment = (environment["OMNIBUS_SOURCE_MIRRORS"] ?? "").split(whereSeparator: \.isWhitespace).map(String.init)
        let mirrors = (flags.sourceMirrors + fromEnvironment).map { $0.contains("://") ? $0 : absolute($0) } + config.sourceMirrors
        let epoch = environment["SOURCE_DATE_EPOCH"].flatMap(Int.init)
        let timeout = try number(flags.downloadTimeout, "OMNIBUS_DOWNLOAD_TIMEOUT", atLeast: 1,
                                 expected: "a whole number of seconds, 1 or more", config.downloadTimeout, defaultDownloadTimeout)
        let rate = try number(flags.downloadMinimumRate, "OMNIBUS_DOWNLOAD_MIN_RATE", atLeast: 0,
                              expected: "a whole number of bytes per second, 0 or more (0 turns the check off)",
                              config.downloadMinimumRate, DownloadLimits.defaultMinimumRate)
        let remote = flags.noCache ? nil : try remoteCacheSettings(flags, config: config, environment: environment,
                                                                      repositoryRoot: repositoryRoot)
        var settings = BuildSettings(jobs: flags.jobs ?? ProcessInfo.processInfo.activeProcessorCount, workDir: work, cacheDir: cache,
                             sourceMirrors: mirrors, offline: flags.offline, useLayerCache: !flags.noCache,
                             verbose: flags.verbose, sourceDateEpoch: epoch,
                             outputDir: given(flags.outputDir).map(absolute) ?? repositoryRoot + "/pkg",
                             waitForLock: !flags.noWait, downloadTimeout: timeout, downloadMinimumRate: rate)
        settings.remoteCache = remote
        settings.jobserver = try switched(flags.noJobserver ? false : nil, "OMNIBUS_JOBSERVER", config.jobserver, true)
        settings.ccache = try switched(flags.ccache, "OMNIBUS_CCACHE", config.ccache, false)
        settings.pypiIndex = given(environment["OMNIBUS_PYPI_INDEX"])
        settings.signing = flags.noSign ? nil : SigningSettings.resolve(
            flag: given(flags.signingKey), config: config.signing, environment: environment, absolute: absolute)
        return settings
    }

    /// `--remote-cache`/`--remote-cache-upload` > `OMNIBUS_REMOTE_CACHE*` > `remote_cache:` > none.
    static func remoteCacheSettings(_ flags: Flags, config: RepositoryConfig, environment: [String: String],
                                    repositoryRoot: String) throws(SettingsError) -> RemoteCacheSettings? {
        func given(_ value: String?) -> String? { value.flatMap { $0.isEmpty ? nil : $0 } }
        let configured = config.remoteCache
        guard let urlText = given(flags.remoteCache) ?? given(environment["OMNIBUS_REMOTE_CACHE"]) ?? configured?.url else { return nil }
        let upload = flags.remoteCacheUpload || ["1", "true", "yes"].contains(environment["OMNIBUS_REMOTE_CACHE_UPLOAD"]?.lowercased() ?? "")
            || configured?.upload == true
        let keyTexts = given(environment["OMNIBUS_REMOTE_CACHE_TRUSTED_KEYS"]).map { $0.split(whereSeparator: \.isWhitespace).map(String.init) }
            ?? configured?.trustedKeys ?? []
        let signing = given(environment["OMNIBUS_REMOTE_CACHE_SIGNING_KEY"]) ?? configured?.signingKey
        var timeout = TimeInterval(configured?.timeout ?? Int(RemoteCacheSettings.defaultRequestTimeout))
        if let text = given(environment["OMNIBUS_REMOTE_CACHE_TIMEOUT"]) {
            guard let value = Int(text), value >= 1 else {
                throw .invalidEnvironment(variable: "OMNIBUS_REMOTE_CACHE_TIMEOUT", value: text, expected: "a whole number of seconds, 1 or more")
            }
            timeout = TimeInterval(value)
        }
        do {
            let url = try RemoteCacheSettings.parseURL(urlText)
            let keys = try keyTexts.map { text throws(RemoteCacheKeyError) in try RemoteCacheKeys.trustedKey(text, relativeTo: repositoryRoot) }
            if let signing { _ = try RemoteCacheKeys.signingKey(at: signing) }
            return try RemoteCacheSettings(url: url, upload: upload, trustedKeys: keys, signingKey: signing,
                                           requestTimeout: timeout, environment: environment)
        } catch let error as RemoteCacheSettingsError {
            throw .remoteCache(error.description)
        } catch let error as RemoteCacheKeyError {
            throw .remoteCache(error.description)
        } catch {
            throw .remoteCache("\(error)")
        }
    }

    /// `$XDG_CACHE_HOME/omnibus`, else `$HOME/.cache/omnibus` (the environment's `HOME`, which a
    /// CI job or `sudo -H` may point elsewhere than the passwd entry), else the passwd home's.
    package static func defaultCacheRoot(environment: [String: String] = ProcessInfo.processInfo.environment) -> String {
        if let xdg = environment["XDG_CACHE_HOME"], xdg.hasPrefix("/") { return xdg + "/omnibus" }
        if let home = environment["HOME"], home.hasPrefix("/") { return home + "/.cache/omnibus" }
        return FileManager.default.homeDirectoryForCurrentUser.path + "/.cache/omnibus"
    }

    /// Creates the cache and work directories, or says how to choose others.
    package func prepareDirectories() throws(RunError) {
        for (what, path, flag, variable, key) in [("cache", cacheDir, "--cache-dir", "OMNIBUS_CACHE_DIR", "cache_dir"),
                                                  ("work", workDir, "--work-dir", "OMNIBUS_WORK_DIR", "work_dir")] {
            let probe = path + "/.omnibus-write-test-\(getpid())"
            do {
                try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
                guard FileManager.default.createFile(atPath: probe, contents: nil) else {
                    throw CocoaError(.fileWriteNoPermission)
                }
                try? FileManager.default.removeItem(atPath: probe)
            } catch {
                throw .badInput("cannot write the \(what) directory \(path): \(error.localizedDescription). Choose another with \(flag) DIR, the environment variable \(variable), or '\(key):' in omnibus.config.yml")
            }
        }
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
    /// The layers the install dir was last merged from and a survey of it (`InstallDirState`).
    package var installDirState: String { projectDir + "/install-dir-state.json" }

    package func log(_ software: String) -> String { logsDir + "/" + software + ".log" }
    package func build(_ software: String) -> String { buildsDir + "/" + software }
    package func staging(_ software: String) -> String { stagingDir + "/" + software }
    /// `CompilerWrappers` of one software's build steps.
    package func compilers(_ software: String) -> String { projectDir + "/compilers/" + software }
    package func layerRecord(_ software: String) -> String { layersDir + "/" + software + ".json" }
}
