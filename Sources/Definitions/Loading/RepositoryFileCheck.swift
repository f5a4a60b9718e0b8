import Foundation

/// A definition value naming a file of the packaging repository (a `files:` source, rpm's
/// `pretrans` script): relative to the repository's root, inside it, an existing readable
/// regular file, so nothing outside the repository is packaged and a typo is found by `validate`.
enum RepositoryFileCheck {
    static func check(_ value: Located<String>, key: String, example: String, repositoryRoot: String?,
                      problems: inout Diagnostics) {
        let parts = value.value.split(separator: "/")
        guard !value.value.hasPrefix("/"), !parts.contains(".."), !parts.isEmpty else {
            problems.error("'\(key)' must be a path inside the packaging repository, relative to its root (for example \(example)), found '\(value.value)'",
                           at: value.location)
            return
        }
        guard let repositoryRoot else { return }
        let full = repositoryRoot + "/" + value.value
        var status = stat()
        guard lstat(full, &status) == 0 else {
            problems.error("'\(key)' \(value.value) does not exist in the repository", at: value.location)
            return
        }
        guard status.st_mode & S_IFMT == S_IFREG else {
            problems.error("'\(key)' \(value.value) is not a regular file (a symlink or directory cannot be used)", at: value.location)
            return
        }
        // A directory on the way may be a symlink: where the file really is must be inside too.
        if let real = realpath(full, nil), let realRoot = realpath(repositoryRoot, nil) {
            defer { free(real); free(realRoot) }
            let file = String(cString: real), root = String(cString: realRoot)
            guard file.hasPrefix(root == "/" ? "/" : root + "/") else {
                problems.error("'\(key)' \(value.value) leads outside the packaging repository (to \(file)) through a symlinked directory",
                               at: value.location)
                return
            }
        }
        guard access(full, R_OK) == 0 else {
            problems.error("'\(key)' \(value.value) is not readable", at: value.location)
            return
        }
    }
}
