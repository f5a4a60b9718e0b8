import Foundation
import Scratch

/// The files that switch a repository to its new state (Release and its signatures, repomd.xml
/// and its signature), written and signed under temporary names first and renamed into place
/// together only when every one of them exists. A failure or interrupt before the renames
/// leaves the published set as it was; one between them is found by the next publish, which
/// compares what is published with what it would write (the file renamed last is the one it
/// compares) and writes the set again.
final class StagedSwitch {
    private var staged: [(temporary: String, path: String)] = []

    /// Writes `bytes` beside `path` under a temporary name and returns that name (to sign it).
    @discardableResult
    func stage(_ bytes: Data, as path: String) throws(PublishError) -> String {
        let temporary = (path as NSString).deletingLastPathComponent + "/" + OwnedName.make(prefix: ".omnibus-publish-")
        try RepositoryFiles.write(bytes, to: temporary)
        staged.append((temporary, path))
        return temporary
    }

    /// Renames the staged files into place in `order` (their final paths): the one a reader
    /// opens first (InRelease, repomd.xml) must come last.
    func commit(order: [String]) throws(PublishError) {
        precondition(Set(order) == Set(staged.map(\.path)) && order.count == staged.count, "every staged file, once")
        for path in order {
            let temporary = staged.first { $0.path == path }!.temporary
            guard rename(temporary, path) == 0 else {
                let reason = String(cString: strerror(errno))
                discard()
                throw .write(path: path, reason: reason)
            }
            staged.removeAll { $0.path == path }
        }
    }

    /// Removes what was staged and not renamed.
    func discard() {
        for (temporary, _) in staged { try? RepositoryFiles.remove(temporary) }
        staged.removeAll()
    }

    deinit { discard() }
}
