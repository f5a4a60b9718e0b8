import Digest
import Foundation

/// Fetches one pinned distribution. Its bytes go through `SourceFetcher.fetchFile` like any file
/// source; what this adds is finding the file's name (and upstream URL) when the definition
/// gives only a checksum: from the source cache, else from a mirror's copy of the release's
/// JSON, else from the index's JSON API (never when upstream downloads are off).
struct PyPIFetch {
    let fetcher: SourceFetcher
    let pin: PinnedDistribution
    let events: FetchEventHandler?

    private var configuration: FetchConfiguration { fetcher.configuration }

    func fetch() async throws(FetchError) -> FetchedSource {
        var attempts: [FetchAttempt] = []
        var known = pin.fileName ?? cachedName()
        if known == nil { known = try await nameFromMirrors(&attempts) }
        if let known {
            do {
                return try await fetcher.fetchFile(known, checksum: pin.checksum, upstream: nil, debian: nil, events: events)
            } catch {
                switch error {
                case .notInMirrors(_, _, _, _, let tried, _): attempts += tried
                default: throw error
                }
            }
        }
        guard configuration.allowUpstream else {
            throw .distributionUnavailable(distribution: "\(pin.name) \(pin.version)", checksum: pin.checksum,
                                           attempts: attempts, upstreamAllowed: false, hint: configuration.mirrorFillHint)
        }
        let file = try await fileFromIndex(&attempts)
        guard let url = file.url else {
            throw .distributionUnavailable(distribution: "\(pin.name) \(pin.version)", checksum: pin.checksum,
                                           attempts: attempts, upstreamAllowed: true, hint: configuration.mirrorFillHint)
        }
        do {
            return try await fetcher.fetchFile(file.name, checksum: pin.checksum, upstream: url, debian: nil, events: events)
        } catch {
            guard case .unavailable(_, _, let tried, _) = error else { throw error }
            throw .distributionUnavailable(distribution: "\(pin.name) \(pin.version)", checksum: pin.checksum,
                                           attempts: attempts + tried, upstreamAllowed: true, hint: configuration.mirrorFillHint)
        }
    }

    /// A file with this checksum already in the cache, under a name a distribution can have.
    private func cachedName() -> String? {
        let directory = SourceCache(root: configuration.cacheDirectory).directory(for: pin.checksum)
        let names = (try? FileOps.sortedNames(in: directory)) ?? []
        return names.first { name in !name.hasPrefix(".") && PinnedDistribution.distributionSuffixes.contains(where: name.hasSuffix) }
    }

    /// The file name a mirror's release record gives for this checksum.
    private func nameFromMirrors(_ attempts: inout [FetchAttempt]) async throws(FetchError) -> String? {
        for mirror in configuration.mirrors {
            let location: URL = switch mirror {
            case .directory(let path): URL(fileURLWithPath: path).appendingPathComponent("pypi/" + relativePath)
            case .url(let base): base.appendingPathComponent("pypi/" + relativePath)
            }
            guard let release = try await release(at: location, &attempts) else { continue }
            if let file = release.files(of: pin.version).first(where: { $0.sha256 == pin.checksum.hex }) { return file.filename }
        }
        return nil
    }

    /// The release's file with this checksum (and the definition's file name, if it gives one),
    /// as the index lists it.
    private func fileFromIndex(_ attempts: inout [FetchAttempt]) async throws(FetchError) -> (name: String, url: URL?) {
        var location = configuration.pypiIndex.appendingPathComponent(relativePath)
        var found = try await release(at: location, &attempts)
        if found == nil {
            location = configuration.pypiIndex.appendingPathComponent(PyPIRelease.projectPath(name: pin.name))
            found = try await release(at: location, &attempts)
        }
        guard let release = found else {
            throw .distributionUnavailable(distribution: "\(pin.name) \(pin.version)", checksum: pin.checksum,
                                           attempts: attempts, upstreamAllowed: true, hint: configuration.mirrorFillHint)
        }
        let files = release.files(of: pin.version)
        guard let file = files.first(where: { $0.sha256 == pin.checksum.hex && (pin.fileName == nil || $0.filename == pin.fileName) }) else {
            throw .distributionChecksumUnknown(distribution: "\(pin.name) \(pin.version)", checksum: pin.checksum,
                                               index: location.absoluteString,
                                               files: files.map { "\($0.filename) (sha256:\($0.sha256 ?? "none given"))" })
        }
        return (file.filename, URL(string: file.url, relativeTo: location)?.absoluteURL)
    }

    private var relativePath: String { PyPIRelease.relativePath(name: pin.name, version: pin.version) }

    /// Reads a release document through the same retries and limits as a download; nil (with
    /// the attempt recorded) when the location does not have it or it is not a release document.
    private func release(at location: URL, _ attempts: inout [FetchAttempt]) async throws(FetchError) -> PyPIRelease? {
        let cache = SourceCache(root: configuration.cacheDirectory)
        let temporary = try cache.temporaryPath()
        defer { FileOps.remove(temporary) }
        let retriever = Retriever(retry: configuration.retry, requestTimeout: configuration.requestTimeout,
                                  limits: configuration.limits, events: events)
        let display = location.isFileURL ? location.path : location.absoluteString
        if let failure = try await retriever.retrieve(location, to: temporary) {
            attempts.append(FetchAttempt(location: display, outcome: failure))
            return nil
        }
        guard let data = FileManager.default.contents(atPath: temporary), let release = PyPIRelease.parse(data) else {
            attempts.append(FetchAttempt(location: display, outcome: .transport("not a release document of a package index's JSON API", attempts: 1)))
            return nil
        }
        return release
    }
}
