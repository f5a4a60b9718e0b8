import Digest
import Foundation

/// Fills a source mirror directory with pinned Python distributions from the package index, so
/// an offline build finds them: each file as `<mirror>/<file name>` and `<mirror>/sha256/<hex>`,
/// and the release record `<mirror>/pypi/<name>/<version>/json` (the index's JSON, trimmed to
/// the pinned file) that tells an offline build the file's name from its checksum.
package struct PyPIMirrorFiller: Sendable {
    package let mirrorDirectory: String
    /// The index, retries and download limits to use; its cache and mirrors are replaced.
    package let configuration: FetchConfiguration

    package init(mirrorDirectory: String, configuration: FetchConfiguration) {
        self.mirrorDirectory = URL(fileURLWithPath: mirrorDirectory).standardizedFileURL.path
        self.configuration = configuration
    }

    package struct Entry: Sendable, CustomStringConvertible {
        package let distribution: PinnedDistribution
        /// The file now in the mirror, or why it is not.
        package let outcome: Result<String, FetchError>

        package var description: String {
            switch outcome {
            case .success(let fileName): "pypi \(distribution.name) \(distribution.version): \(fileName) in the mirror"
            case .failure(let error): "pypi \(distribution.name) \(distribution.version): FAILED: \(error)"
            }
        }
    }

    /// Stores every pin; a pin that cannot be fetched is reported in its entry, and only
    /// cancellation or an unwritable mirror throws.
    package func fill(_ pins: [PinnedDistribution], log: (@Sendable (String) -> Void)? = nil) async throws(FetchError) -> [Entry] {
        try FileOps.createDirectory(mirrorDirectory)
        // Downloads land in a scratch cache inside the mirror (same filesystem, so storing is a
        // link); the mirror itself is searched first, so a distribution already there is kept.
        let scratch = try FileOps.makeTemporaryDirectory(in: mirrorDirectory, prefix: ".omnibus-pypi-")
        defer { FileOps.remove(scratch) }
        var settings = configuration
        settings.cacheDirectory = scratch
        settings.mirrors = [.directory(mirrorDirectory)]
        settings.allowUpstream = true
        let fetcher = SourceFetcher(configuration: settings)
        var entries: [Entry] = []
        for pin in pins {
            if Task.isCancelled { throw .cancelled }
            log?("pypi \(pin.name)==\(pin.version)")
            do {
                let fetched = try await PyPIFetch(fetcher: fetcher, pin: pin, events: nil).fetch()
                guard case .file(let path, let fileName) = fetched.content else { continue }
                try store(path, fileName: fileName, pin: pin)
                entries.append(Entry(distribution: pin, outcome: .success(fileName)))
            } catch {
                if case .cancelled = error { throw error }
                entries.append(Entry(distribution: pin, outcome: .failure(error)))
            }
        }
        return entries
    }

    private func store(_ path: String, fileName: String, pin: PinnedDistribution) throws(FetchError) {
        for relative in [fileName, "\(pin.checksum.algorithm.rawValue)/\(pin.checksum.hex)"] {
            let target = mirrorDirectory + "/" + relative
            // A file of the user's under that name is left alone; the checksum entry suffices.
            if FileOps.isRegularFile(target) { continue }
            try FileOps.createDirectory((target as NSString).deletingLastPathComponent)
            try FileOps.linkOrCopy(path, to: target)
        }
        let record = PyPIRelease(info: .init(name: pin.name, version: pin.version),
                                 urls: [.init(filename: fileName, url: fileName, digests: ["sha256": pin.checksum.hex])])
        let recordPath = mirrorDirectory + "/pypi/" + PyPIRelease.relativePath(name: pin.name, version: pin.version)
        try FileOps.createDirectory((recordPath as NSString).deletingLastPathComponent)
        let temporary = FileOps.temporarySibling(of: recordPath)
        guard FileManager.default.createFile(atPath: temporary, contents: record.encoded()) else {
            throw .io(path: recordPath, reason: "cannot write the release record")
        }
        try FileOps.rename(temporary, to: recordPath)
    }
}
