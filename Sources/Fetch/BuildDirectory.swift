import Foundation

/// Chooses the directory a software builds in, inside its unpacked source.
enum BuildDirectory {
    /// `relativePath` when given (it must name a directory inside `root`); otherwise, for
    /// archives, the single top-level directory if the archive has exactly one top-level entry and
    /// it is a directory; otherwise `root`. Git and path sources build at their root unless told.
    static func locate(in root: String, relativePath: String?, singleTopLevel: Bool) throws(FetchError) -> String {
        if let relativePath {
            let parts = relativePath.split(separator: "/", omittingEmptySubsequences: true).filter { $0 != "." }
            guard !relativePath.hasPrefix("/"), !parts.contains("..") else {
                throw .invalidSource("relative_path '\(relativePath)' must stay inside the source: "
                    + "no leading '/' and no '..'")
            }
            let candidate = parts.isEmpty ? root : root + "/" + parts.joined(separator: "/")
            guard FileOps.isDirectory(candidate) else {
                throw .relativePathMissing(relativePath: relativePath, root: root,
                                           topLevel: (try? FileOps.sortedNames(in: root)) ?? [])
            }
            return candidate
        }
        guard singleTopLevel else { return root }
        let names = try FileOps.sortedNames(in: root)
        if names.count == 1 {
            let only = "\(root)/\(names[0])"
            var info = stat()
            if lstat(only, &info) == 0, info.st_mode & S_IFMT == S_IFDIR { return only }
        }
        return root
    }
}
