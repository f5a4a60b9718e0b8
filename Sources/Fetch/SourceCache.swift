import Digest
import Foundation
import Scratch

/// The content-addressed source cache: `<root>/<algorithm>/<hex>/<file name>`.
///
/// The directory is named by the checksum, so a verified file is found again without any
/// network; the file keeps its original name because the name tells the unpacker the format.
/// A cached file is re-hashed on every use (hashing is far cheaper than building): a file
/// damaged on disk is deleted and fetched again instead of being trusted for its name.
struct SourceCache: Sendable {
    let root: String

    func directory(for checksum: Checksum) -> String {
        "\(root)/\(checksum.algorithm.rawValue)/\(checksum.hex)"
    }

    /// Downloads in progress: inside the cache so that the final rename never crosses
    /// filesystems.
    var temporaryDirectory: String { "\(root)/tmp" }

    /// A fresh name in `temporaryDirectory` (`<pid>-<host>-<random>.part`): the pid lets a later
    /// run tell a download that was abandoned from one in progress.
    func temporaryPath() throws(FetchError) -> String {
        try FileOps.createDirectory(temporaryDirectory)
        return "\(temporaryDirectory)/\(OwnedName.make(suffix: ".part"))"
    }

    /// Removes the downloads that processes which are gone (a crash, `kill -9`) left behind.
    func sweepAbandonedDownloads() {
        AbandonedTemporaries.sweep(temporaryDirectory)
    }

    /// The verified cached file, or nil. Damaged files are deleted. A file with the same
    /// checksum cached under another name is linked under this name.
    func lookup(fileName: String, checksum: Checksum) throws(FetchError) -> String? {
        let directory = directory(for: checksum)
        let path = "\(directory)/\(fileName)"
        if FileOps.isRegularFile(path) {
            if try checksum.check(file: path).matches { return path }
            FileOps.remove(path)
        }
        guard FileOps.isDirectory(directory) else { return nil }
        for name in try FileOps.sortedNames(in: directory) where !name.hasPrefix(".") {
            let other = "\(directory)/\(name)"
            guard FileOps.isRegularFile(other) else { continue }
            if try checksum.check(file: other).matches {
                try FileOps.linkOrCopy(other, to: path)
                return path
            }
            FileOps.remove(other)
        }
        return nil
    }

    /// Verifies a freshly retrieved file and moves it into place; on mismatch deletes it and
    /// returns the actual digest instead.
    func admit(_ temporary: String, fileName: String, checksum: Checksum) throws(FetchError)
        -> Result<String, MismatchedDigest> {
        let verdict: (matches: Bool, actual: String)
        do { verdict = try checksum.check(file: temporary) } catch {
            FileOps.remove(temporary)
            throw error
        }
        guard verdict.matches else {
            FileOps.remove(temporary)
            return .failure(MismatchedDigest(actual: verdict.actual))
        }
        let directory = directory(for: checksum)
        try FileOps.createDirectory(directory)
        let path = "\(directory)/\(fileName)"
        do { try FileOps.rename(temporary, to: path) } catch {
            FileOps.remove(temporary)
            throw error
        }
        return .success(path)
    }

    struct MismatchedDigest: Error {
        let actual: String
    }
}
