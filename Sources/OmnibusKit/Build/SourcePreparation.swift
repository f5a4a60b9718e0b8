import Definitions
import Fetch
import Foundation

/// Connects builds to the Fetch module: a definition's source is fetched (verified, through the
/// cache and mirrors) and unpacked into a build tree, and fetch events become log lines.
struct SourcePreparation: Sendable {
    let fetcher: SourceFetcher

    /// The fetcher for the build settings: the cache under `<cache>/sources`, mirrors in order.
    init(settings: BuildSettings) throws(BuildError) {
        var mirrors: [SourceMirror] = []
        for text in settings.sourceMirrors {
            do { mirrors.append(try SourceMirror(parsing: text)) } catch {
                throw .refused("--source-mirror \(text): \(error)")
            }
        }
        let limits = DownloadLimits(
            deadline: TimeInterval(settings.downloadTimeout), minimumRate: settings.downloadMinimumRate,
            deadlineAdvice: "to allow more time, pass --download-timeout SECONDS (or set OMNIBUS_DOWNLOAD_TIMEOUT, "
                + "or download_timeout: in omnibus.config.yml)",
            rateAdvice: "for a slow link, lower the minimum with --download-min-rate BYTES_PER_SECOND, 0 turning the "
                + "check off (or set OMNIBUS_DOWNLOAD_MIN_RATE, or download_min_rate: in omnibus.config.yml)")
        var configuration = FetchConfiguration(
            cacheDirectory: settings.cacheDir + "/sources", mirrors: mirrors, allowUpstream: !settings.offline,
            limits: limits,
            mirrorFillHint: "fill a mirror from Debian with 'omnibus mirror PROJECT --dir DIR', then build with --source-mirror DIR")
        if let index = settings.pypiIndex {
            guard let url = URL(string: index), ["http", "https", "file"].contains(url.scheme?.lowercased() ?? "") else {
                throw .refused("OMNIBUS_PYPI_INDEX \(index): not an http, https or file URL (the base of a JSON API such as https://pypi.org/pypi)")
            }
            configuration.pypiIndex = url
        }
        fetcher = SourceFetcher(configuration: configuration)
    }

    /// What identifies the source's bytes (checksum, commit or content hash), for cache keys.
    func identity(of source: Source) throws(BuildFailure.Reason) -> String {
        do { return try source.fetchable.identity() } catch { throw Self.reason(error) }
    }

    /// Fetches and unpacks the source under `directory`; returns the directory to build in and
    /// the identity of what was unpacked (for a path source: the hash of what was copied).
    func prepare(_ source: Source, relativePath: String?, into directory: String,
                 log: @escaping @Sendable (String) -> Void) async throws(BuildFailure.Reason) -> (identity: String, buildDirectory: String) {
        do throws(FetchError) {
            let fetched = try await fetcher.fetch(try source.fetchable) { log(Self.describe($0)) }
            log("# source: \(fetched.identity) from \(fetched.origin)")
            let unpacked = try await fetcher.unpack(fetched, into: directory + "/src", relativePath: relativePath)
            return (fetched.identity, unpacked.buildDirectory)
        } catch {
            throw Self.reason(error)
        }
    }

    private static func reason(_ error: FetchError) -> BuildFailure.Reason {
        if case .cancelled = error { return .cancelled }
        return Task.isCancelled ? .cancelled : .fetch(error.description)
    }

    static func describe(_ event: FetchEvent) -> String {
        switch event {
        case .cacheHit(let path): "# fetch: verified copy in the source cache: \(path)"
        case .trying(let location): "# fetch: trying \(location)"
        case .retrying(let location, let attempt, let delay, let reason):
            "# fetch: \(location) failed (\(reason)); attempt \(attempt + 1) in \(String(format: "%.0f", delay))s"
        case .rejected(let attempt): "# fetch: \(attempt)"
        case .stored(let path, let location): "# fetch: verified \(location) -> \(path)"
        case .git(let command): "# git: \(command)"
        }
    }
}
