import ArgumentParser
import Foundation
import OmnibusKit

/// Where builds and caches live; for `build` and `clean`.
struct DirectoryOptions: ParsableArguments {
    @Option(name: .customLong("work-dir"), help: ArgumentHelp("Build trees, staging roots and logs (default: <cache-dir>/work; env OMNIBUS_WORK_DIR).", valueName: "dir"))
    var workDir: String?

    @Option(name: .customLong("cache-dir"), help: ArgumentHelp("Source and layer caches (default: ~/.cache/omnibus; env OMNIBUS_CACHE_DIR).", valueName: "dir"))
    var cacheDir: String?
}

/// How software is fetched and built; for `build` only.
struct BuildOptions: ParsableArguments {
    @Option(name: [.short, .long], help: "Parallel jobs shared by all software building at once (default: the number of cores).")
    var jobs: Int?

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

    @Option(name: .customLong("remote-cache"), help: ArgumentHelp("A shared layer cache speaking the Bazel HTTP cache protocol (env OMNIBUS_REMOTE_CACHE; remote_cache: in omnibus.config.yml; see docs/cache.md).", valueName: "url"))
    var remoteCache: String?

    @Flag(name: .customLong("remote-cache-upload"), help: "Upload the layers built here to the remote cache, signed with the configured key (env OMNIBUS_REMOTE_CACHE_UPLOAD=1).")
    var remoteCacheUpload = false

    @Option(name: .customLong("download-timeout"),
            help: ArgumentHelp("Seconds one source download may take, all retries included (default: 600; env OMNIBUS_DOWNLOAD_TIMEOUT).",
                               valueName: "seconds"))
    var downloadTimeout: Int?

    @Option(name: .customLong("download-min-rate"),
            help: ArgumentHelp("Bytes per second a download must average over 30 s, or the attempt is abandoned and retried (default: 1024; 0: no minimum; env OMNIBUS_DOWNLOAD_MIN_RATE).",
                               valueName: "bytes"))
    var downloadMinimumRate: Int?

    @Flag(name: .customLong("no-jobserver"), help: "Give each make its own -j share of --jobs, fixed when its software starts, instead of one GNU make jobserver for the whole build (env OMNIBUS_JOBSERVER=0; jobserver: false in omnibus.config.yml; see docs/build.md).")
    var noJobserver = false

    @Flag(inversion: .prefixedNo, help: "Compile C and C++ through ccache, kept in the cache dir; output bytes stay the same (env OMNIBUS_CCACHE=1; ccache: true in omnibus.config.yml; see docs/build.md).")
    var ccache: Bool?

    func validate() throws {
        if let jobs, jobs < 1 { throw ValidationError("--jobs must be 1 or more") }
        if let downloadTimeout, downloadTimeout < 1 { throw ValidationError("--download-timeout must be 1 second or more") }
        if let downloadMinimumRate, downloadMinimumRate < 0 {
            throw ValidationError("--download-min-rate must be 0 (no minimum) or more bytes per second")
        }
    }
}

/// What to do when another run holds the install dir; for `build`, `package` and `clean`.
struct LockOptions: ParsableArguments {
    @Flag(name: .customLong("no-wait"), help: "If another omnibus run is using the install dir, stop at once (exit 2) instead of waiting for it.")
    var noWait = false
}

/// Where packages go; for `build` and `package`.
struct OutputOptions: ParsableArguments {
    @Option(name: .customLong("output-dir"), help: ArgumentHelp("Where packages and their metadata are written (default: <root>/pkg).", valueName: "dir"))
    var outputDir: String?
}

/// How progress and results are shown; for the commands that render a run: `build`, `package`
/// and `health-check` (docs/output.md).
struct DisplayOptions: ParsableArguments {
    @Option(help: ArgumentHelp("Colour: never, auto (only on a terminal, and not with NO_COLOR set or TERM=dumb) or always (even when piped).",
                               valueName: "when"))
    var color: OutputMode.Color = .auto

    @Flag(name: [.short, .long], help: "Print only errors and the result lines (the packages written, the final built line, the health report).")
    var quiet = false

    func mode(environment: [String: String] = ProcessInfo.processInfo.environment) -> OutputMode {
        OutputMode.choose(color: color, quiet: quiet, environment: environment)
    }
}

extension OutputMode.Color: ExpressibleByArgument {}

/// Which key signs; for `build` and `package` (packages) and `publish` (repository indexes).
struct SigningOptions: ParsableArguments {
    @Option(name: .customLong("signing-key"),
            help: ArgumentHelp("Sign with this gpg key id, fingerprint or user id (env OMNIBUS_SIGNING_KEY; signing.key in omnibus.config.yml; see docs/release.md).",
                               valueName: "key"))
    var signingKey: String?

    @Flag(name: .customLong("no-sign"), help: "Write unsigned packages or repositories, even though a signing key is configured (publish: apt and dnf refuse unsigned repositories by default; for a local test only).")
    var noSign = false

    func validate() throws {
        if noSign, signingKey != nil { throw ValidationError("--signing-key and --no-sign contradict each other; give one") }
        if let signingKey, signingKey.isEmpty || signingKey.contains(where: \.isNewline) {
            throw ValidationError("--signing-key must be a gpg key id, fingerprint or user id on one line")
        }
    }
}

extension BuildSettings.Flags {
    /// What the parsed option groups say; groups a command does not take stay at "not given".
    init(directories: DirectoryOptions? = nil, build: BuildOptions? = nil, output: OutputOptions? = nil,
         lock: LockOptions? = nil, signing: SigningOptions? = nil) {
        self.init(jobs: build?.jobs, workDir: directories?.workDir, cacheDir: directories?.cacheDir,
                  sourceMirrors: build?.sourceMirrors ?? [], offline: build?.offline ?? false,
                  noCache: build?.noCache ?? false, verbose: build?.verbose ?? false, outputDir: output?.outputDir,
                  noWait: lock?.noWait ?? false,
                  downloadTimeout: build?.downloadTimeout, downloadMinimumRate: build?.downloadMinimumRate)
        remoteCache = build?.remoteCache
        remoteCacheUpload = build?.remoteCacheUpload ?? false
        noJobserver = build?.noJobserver ?? false
        ccache = build?.ccache
        signingKey = signing?.signingKey
        noSign = signing?.noSign ?? false
    }
}

extension Workspace {
    /// The settings for a command; a value in the environment that cannot be used is bad input.
    func commandSettings(_ flags: BuildSettings.Flags) throws -> BuildSettings {
        do { return try settings(flags) } catch { throw CommandFailure(.badInput, error.description) }
    }
}
