import Digest
import Foundation

/// `by-hash/SHA256/<digest>` copies of a suite's indexes (`Acquire-By-Hash: yes`): apt then
/// fetches indexes by the digest its InRelease names, so a client that read the old InRelease
/// while the site is being synced still finds the indexes that InRelease signs.
enum AptByHash {
    static func store(directory: String, files: [String]) throws(PublishError) {
        for file in files {
            let path = directory + "/" + file
            let digest = try RepositoryFiles.digests(ofFile: path, [.sha256])[.sha256] ?? ""
            let target = directory + "/by-hash/SHA256/" + digest
            guard !FileManager.default.fileExists(atPath: target) else { continue }
            guard let data = FileManager.default.contents(atPath: path) else {
                throw .write(path: target, reason: "\(path) cannot be read back")
            }
            try RepositoryFiles.write(data, to: target)
        }
    }

    /// Removes the copies that neither the current nor the previous Release names: one
    /// generation back is what a client in the middle of an update can still ask for.
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
