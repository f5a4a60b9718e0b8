import Digest
import Foundation

/// `by-hash/SHA256/<digest>` copies of a suite's indexes (`Acquire-By-Hash: yes`): apt then
/// fetches indexes by the digest its InRelease names, so a client that read the old InRelease
/// while the site is being synced still finds the indexes that InRelease signs.
enum AptByHash {
    static func store(_ bytes: [UInt8], sha256: String, directory: String) throws(PublishError) {
        let target = directory + "/by-hash/SHA256/" + sha256
        guard !FileManager.default.fileExists(atPath: target) else { return }
        try RepositoryFiles.write(bytes, to: target)
    }

    /// Removes the copies that neither the live signed files (before this publish) nor the new
    /// Release name: one generation back is what a client in the middle of an update can still ask for.
    static func prune(suiteDirectory: String, keeping digests: Set<String>) throws(PublishError) {
        let manager = FileManager.default
        for component in (try? manager.contentsOfDirectory(atPath: suiteDirectory)) ?? [] {
            for binary in (try? manager.contentsOfDirectory(atPath: suiteDirectory + "/" + component)) ?? [] where binary.hasPrefix("binary-") {
                let byHash = suiteDirectory + "/" + component + "/" + binary + "/by-hash/SHA256"
                for name in (try? manager.contentsOfDirectory(atPath: byHash)) ?? [] where !digests.contains(name) {
                    try RepositoryFiles.remove(byHash + "/" + name)
                }
            }
        }
    }
}
