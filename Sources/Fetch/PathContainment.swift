import Foundation

/// Whether a relative symlink target stays within a root directory.
enum PathContainment {
    /// Judges the target text alone, from the directory holding the link (given as path
    /// components relative to the root).
    static func staysInside(directory: [String], target: String) -> Bool {
        var stack = directory
        for part in target.split(separator: "/", omittingEmptySubsequences: true) {
            switch part {
            case ".": continue
            case "..":
                if stack.isEmpty { return false }
                stack.removeLast()
            default: stack.append(String(part))
            }
        }
        return true
    }

    /// Resolves the target as the kernel would, following symlinks met on the way inside `root`;
    /// parts that do not exist are taken literally. True if any step leaves `root`, a target is
    /// absolute, or the links loop.
    static func resolvesOutside(root: String, directory: [String], target: String) -> Bool {
        var stack = directory
        var pending = Array(target.split(separator: "/", omittingEmptySubsequences: true).map(String.init).reversed())
        var hops = 0
        while let part = pending.popLast() {
            switch part {
            case ".": continue
            case "..":
                if stack.isEmpty { return true }
                stack.removeLast()
            default:
                let candidate = ([root] + stack + [part]).joined(separator: "/")
                var info = stat()
                guard lstat(candidate, &info) == 0, info.st_mode & S_IFMT == S_IFLNK else {
                    stack.append(part)
                    continue
                }
                hops += 1
                guard hops <= 40, let next = try? DirectoryTree.readLink(candidate, root: root),
                      !next.hasPrefix("/") else { return true }
                // The link's target is read from the directory holding the link: `stack`.
                pending.append(contentsOf: next.split(separator: "/", omittingEmptySubsequences: true)
                    .map(String.init).reversed())
            }
        }
        return false
    }
}
