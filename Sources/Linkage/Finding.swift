/// One reason a file fails the health check.
package struct Finding: Sendable, Equatable, Hashable, Codable {
    package enum Reason: String, Sendable, Codable {
        /// The library resolves outside the install dir and is not on the allow-list.
        case outsideInstallDir = "outside-install-dir"
        /// The loader would not find the library.
        case notFound = "not-found"
        /// A `DT_RPATH`/`DT_RUNPATH` entry points outside the install dir (a leaked build
        /// directory, say) or is relative to the working directory.
        case searchPathOutsideInstallDir = "search-path-outside-install-dir"
        /// A file was found but the loader would refuse it, so the program cannot start.
        case cannotLoad = "cannot-load"
        /// An object exceeds one of `LinkageLimits` (thousands of `DT_NEEDED` entries, a chain
        /// of libraries deeper than any real program's), so what it needs was not checked.
        case limitExceeded = "limit-exceeded"
    }

    /// The library as needed (`libz.so.1`), the interpreter path, the search path entry as
    /// written in the file (`$ORIGIN/../lib`), or, for a limit the checked file itself exceeds,
    /// its path relative to the install dir.
    package let library: String
    /// Where it resolved, or the expanded search directory; nil means not found (or, for a
    /// limit, that the library is the checked file).
    package let resolvedPath: String?
    package let reason: Reason
    /// The object whose `DT_NEEDED` asked for the library (relative to the install dir when it is
    /// inside); nil for search path entries and the interpreter.
    package let neededBy: String?
    /// For a search path finding, which dynamic tag held the entry.
    package let searchPathTag: SearchPathEntry.Tag?
    /// Extra explanation for a person (a symlink's target, a loader error).
    package let detail: String?

    package init(library: String, resolvedPath: String?, reason: Reason, neededBy: String? = nil,
                searchPathTag: SearchPathEntry.Tag? = nil, detail: String? = nil) {
        self.library = library
        self.resolvedPath = resolvedPath
        self.reason = reason
        self.neededBy = neededBy
        self.searchPathTag = searchPathTag
        self.detail = detail
    }
}
