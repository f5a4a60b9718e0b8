import Digest
import Foundation

/// Fetches sources into the source cache (verifying them) and lays them out for building.
///
/// `fetch` is the only step that touches the network; `unpack` works from what `fetch` returned
/// and can be repeated for every fresh build tree.
package struct SourceFetcher: Sendable {
    package let configuration: FetchConfiguration

    package init(configuration: FetchConfiguration) {
        self.configuration = configuration
    }

    /// Makes the source available locally and verified: from the cache, else from each mirror in
    /// order (by file name, then by checksum), else from the upstream URL.
    package func fetch(_ source: some FetchableSource, events: FetchEventHandler? = nil) async throws(FetchError) -> FetchedSource {
        try await source.fetch(with: self, events: events)
    }

    /// Lays the fetched source out in `root` (which must not exist yet) and finds the build
    /// directory. Archives are extracted safely, other files are copied as they are, git sources
    /// are checked out at their commit, path sources are copied without `.git` and must still
    /// have the content hash taken by `fetch`.
    package func unpack(_ fetched: FetchedSource, into root: String,
                       relativePath: String? = nil) async throws(FetchError) -> UnpackedSource {
        var isArchive = false
        switch fetched.content {
        case .file(let path, let fileName):
            if ArchiveNames.isArchive(fileName) {
                try SafeExtractor.extract(archive: path, into: root)
                isArchive = true
            } else {
                guard !FileOps.exists(root) else {
                    throw .io(path: root, reason: "already exists; sources are only unpacked into a new directory")
                }
                try FileOps.createDirectory(root)
                try FileOps.copyFile(path, to: "\(root)/\(fileName)")
            }
        case .fileSet(let files):
            guard !FileOps.exists(root) else {
                throw .io(path: root, reason: "already exists; sources are only unpacked into a new directory")
            }
            try FileOps.createDirectory(root)
            for file in files { try FileOps.copyFile(file.path, to: "\(root)/\(file.fileName)") }
        case .gitRepository(let bare, let repository, let commit):
            try await GitRepository.checkout(bare: bare, repository: repository, commit: commit, into: root)
        case .directory(let directory, let exclude):
            try DirectoryTree.copy(directory, to: root, exclude: exclude)
            let copied = try DirectoryTree.contentHash(of: root)
            guard copied == fetched.identity else {
                FileOps.remove(root)
                throw .pathChanged(directory: directory, expected: fetched.identity, actual: copied)
            }
        }
        do {
            let build = try BuildDirectory.locate(in: root, relativePath: relativePath, singleTopLevel: isArchive)
            return UnpackedSource(root: root, buildDirectory: build)
        } catch {
            // An unpacked tree without a usable build directory must not look ready to build.
            FileOps.remove(root)
            throw error
        }
    }

    /// A file source: `fileName` is what the cache and mirrors know it by, `checksum` decides.
    package func fetchFile(_ fileName: String, checksum: Checksum, upstream: URL?, debian: DebianOrigin?,
                           events: FetchEventHandler?) async throws(FetchError) -> FetchedSource {
        guard !fileName.isEmpty, fileName != ".", fileName != "..", !fileName.contains("/"), !fileName.hasPrefix(".") else {
            throw .invalidSource("'\(fileName)' cannot be a source file name: it must be a plain file name "
                + "(no '/', not starting with '.'); give one explicitly when the URL does not end in one")
        }
        let cache = SourceCache(root: configuration.cacheDirectory)
        cache.sweepAbandonedDownloads()
        func found(_ path: String, origin: String) -> FetchedSource {
            FetchedSource(content: .file(path: path, fileName: fileName),
                          identity: checksum.description, origin: origin)
        }
        if let path = try cache.lookup(fileName: fileName, checksum: checksum) {
            events?(.cacheHit(path: path))
            return found(path, origin: "cache")
        }
        var locations = configuration.mirrors.flatMap { $0.candidates(fileName: fileName, checksum: checksum) }
        if let upstream, configuration.allowUpstream { locations.append(upstream) }
        let retriever = Retriever(retry: configuration.retry, requestTimeout: configuration.requestTimeout,
                                  limits: configuration.limits, events: events)
        var attempts: [FetchAttempt] = []
        for location in locations {
            if Task.isCancelled { throw .cancelled }
            let display = location.isFileURL ? location.path : location.absoluteString
            let temporary = try cache.temporaryPath()
            let failure: FetchAttempt.Outcome?
            do { failure = try await retriever.retrieve(location, to: temporary) } catch {
                FileOps.remove(temporary)
                throw error
            }
            if let failure {
                FileOps.remove(temporary)
                attempts.append(FetchAttempt(location: display, outcome: failure))
                events?(.rejected(attempts[attempts.count - 1]))
                continue
            }
            switch try cache.admit(temporary, fileName: fileName, checksum: checksum) {
            case .success(let path):
                events?(.stored(path: path, location: display))
                return found(path, origin: display)
            case .failure(let mismatch):
                attempts.append(FetchAttempt(location: display,
                                             outcome: .checksumMismatch(expected: checksum, actual: mismatch.actual)))
                events?(.rejected(attempts[attempts.count - 1]))
            }
        }
        if upstream == nil {
            throw .notInMirrors(fileName: fileName, checksum: checksum, debian: debian, mirrors: configuration.mirrors,
                                attempts: attempts, hint: configuration.mirrorFillHint)
        }
        throw .unavailable(fileName: fileName, checksum: checksum, attempts: attempts, hint: configuration.mirrorFillHint)
    }
}
