/// Where the system the loader would run on lives: `/` for the host, or a clean root's
/// directory. Library paths keep the names the loader would see (`/usr/lib/...`); only reading
/// them goes through the root. The install dir stays on the host (it was bound into the root).
package struct SystemRoot: Sendable {
    /// The root's directory without a trailing slash; empty for the host.
    let directory: String
    let keptOnHost: [String]

    package static let host = SystemRoot(directory: "", keptOnHost: [])

    package init(directory: String, keptOnHost: [String]) {
        self.directory = directory == "/" ? "" : (directory.hasSuffix("/") ? String(directory.dropLast()) : directory)
        self.keptOnHost = keptOnHost
    }

    private func isKept(_ path: String) -> Bool {
        keptOnHost.contains { path == $0 || path.hasPrefix($0.hasSuffix("/") ? $0 : $0 + "/") }
    }

    /// The host path that holds what the loader would find at `path`.
    func onDisk(_ path: String) -> String {
        directory.isEmpty || isKept(path) || !path.hasPrefix("/") ? path : directory + path
    }

    /// `path` with symlinks resolved inside the root, as the loader's name for it (root removed).
    func realPath(_ path: String) -> String? {
        guard !directory.isEmpty, !isKept(path) else { return PathNames.realPath(path) }
        guard let real = PathNames.realPath(directory + path) else { return nil }
        if real == directory { return "/" }
        // An absolute link inside the root that leads out of it is read as the root's own path.
        return real.hasPrefix(directory + "/") ? String(real.dropFirst(directory.count)) : real
    }
}
