import Foundation
import OmnibusKit

/// Shell completion of project names. The shell runs `omnibus ---completion ...` on every Tab,
/// so this only lists a directory: no definition is parsed, nothing is printed, nothing fails.
enum NameCompletion {
    /// ArgumentParser's custom completion: the words of the command line, the index of the word
    /// being completed, and its text before the cursor.
    @Sendable static func projects(_ words: [String], _ index: Int, _ prefix: String) -> [String] {
        Workspace.projectNames(root: root(in: words)).filter { $0.hasPrefix(prefix) }
    }

    /// The repository the command line names with `--root DIR` or `--root=DIR`, else the
    /// current directory; `~/` is expanded because the shell has not done it yet.
    static func root(in words: [String]) -> String {
        var root = "."
        for (position, word) in words.enumerated() {
            if word == "--root", position + 1 < words.count {
                root = words[position + 1]
            } else if word.hasPrefix("--root=") {
                root = String(word.dropFirst("--root=".count))
            }
        }
        if root.hasPrefix("~/"), let home = ProcessInfo.processInfo.environment["HOME"] {
            root = home + root.dropFirst(1)
        }
        return root
    }
}
