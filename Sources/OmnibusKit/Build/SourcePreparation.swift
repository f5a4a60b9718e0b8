import Definitions
import Fetch
import Foundation

/// Connects builds to the Fetch module: definitions' sources become `SourceSpec`s, fetch events
/// become log lines, and the async fetcher is driven from the build's worker threads.
package struct FetchSourcePreparer: SourcePreparer {
    let fetcher: SourceFetcher

    package init(fetcher: SourceFetcher) {
        self.fetcher = fetcher
    }

    /// A preparer for the build options: the cache under `<cache>/sources`, mirrors in order.
    package static func make(options: BuildOptions, offline: Bool = false) throws(BuildError) -> FetchSourcePreparer {
        var mirrors: [SourceMirror] = []
        for text in options.sourceMirrors {
            do { mirrors.append(try SourceMirror(parsing: text)) } catch {
                throw .refused("--source-mirror \(text): \(error)")
            }
        }
        let configuration = FetchConfiguration(
            cacheDirectory: options.cacheDir + "/sources", mirrors: mirrors, allowUpstream: !offline,
            mirrorFillHint: "fill a mirror from Debian with 'omnibus mirror PROJECT --dir DIR', then build with --source-mirror DIR")
        return FetchSourcePreparer(fetcher: SourceFetcher(configuration: configuration))
    }

    package func identity(of node: SourceRequest) throws(BuildFailure.Reason) -> String {
        let spec = try Self.spec(for: node)
        switch spec {
        case .url(_, let checksum, _), .mirrorOnly(_, let checksum, _): return checksum.description
        case .git(_, let commit): return "git:\(commit)"
        case .path:
            // Hashing a local tree needs no network; the fetcher does it the same way it verifies copies.
            return try blocking { () async throws(FetchError) -> FetchedSource in try await fetcher.fetch(spec) }.identity
        }
    }

    package func prepare(_ node: SourceRequest, into directory: String,
                        log: @escaping @Sendable (String) -> Void) throws(BuildFailure.Reason) -> String {
        let spec = try Self.spec(for: node)
        let fetched = try blocking { () async throws(FetchError) -> FetchedSource in
            try await fetcher.fetch(spec) { log(Self.describe($0)) }
        }
        log("# source: \(fetched.identity) from \(fetched.origin)")
        let unpacked = try blocking { () async throws(FetchError) -> UnpackedSource in
            try await fetcher.unpack(fetched, into: directory + "/src", relativePath: node.relativePath)
        }
        return unpacked.buildDirectory
    }

    static func spec(for node: SourceRequest) throws(BuildFailure.Reason) -> SourceSpec {
        func checksum(_ value: Definitions.Checksum) throws(BuildFailure.Reason) -> Fetch.Checksum {
            do { return try Fetch.Checksum(value.algorithm == .sha256 ? .sha256 : .sha512, value.hex) } catch {
                throw .fetch(error.description)
            }
        }
        switch node.source {
        case .url(let text, let sum, let fileName, _):
            guard let url = URL(string: text) else { throw .fetch("'\(text)' is not a valid URL") }
            return .url(url, try checksum(sum), fileName: fileName)
        case .mirrorOnly(let fileName, let sum, let debian):
            return .mirrorOnly(fileName: fileName, try checksum(sum), debian: debian.map(DebianOrigin.init(parsing:)))
        case .git(let repository, let commit):
            return .git(repository: repository, commit: commit)
        case .path(let path, let exclude):
            return .path(directory: path.hasPrefix("/") ? path : node.definitionDir + "/" + path, exclude: exclude)
        }
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

    /// Runs async fetch work to completion from a build worker thread.
    private func blocking<T: Sendable>(_ body: @escaping @Sendable () async throws(FetchError) -> T) throws(BuildFailure.Reason) -> T {
        let box = ResultBox<T>()
        let done = DispatchSemaphore(value: 0)
        Task {
            do throws(FetchError) { box.result = .success(try await body()) } catch { box.result = .failure(error) }
            done.signal()
        }
        done.wait()
        switch box.result! {
        case .success(let value): return value
        case .failure(let error): throw .fetch(error.description)
        }
    }
}

private final class ResultBox<T: Sendable>: @unchecked Sendable {
    var result: Result<T, FetchError>?
}

extension DebianOrigin {
    /// `zlib=1:1.2.13.dfsg-1` or `zlib`, as written in a definition's `debian:`.
    init(parsing text: String) {
        if let equals = text.firstIndex(of: "=") {
            self.init(package: String(text[..<equals]), version: String(text[text.index(after: equals)...]))
        } else {
            self.init(package: text)
        }
    }
}
