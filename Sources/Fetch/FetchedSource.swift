/// A source that is available locally and verified, ready to be unpacked any number of times.
package struct FetchedSource: Sendable, Hashable {
    package enum Content: Sendable, Hashable {
        /// A verified file in the source cache; `fileName` decides how it is unpacked.
        case file(path: String, fileName: String)
        /// A bare repository in the cache that contains `commit`.
        case gitRepository(path: String, repository: String, commit: String)
        /// A local directory whose content hash (without the excluded paths) was taken when it
        /// was fetched.
        case directory(path: String, exclude: [String])
        /// Verified files in the source cache, laid out side by side in one directory (a `pypi`
        /// source's distributions, for pip's `--find-links`).
        case fileSet([CachedFile])
    }

    package struct CachedFile: Sendable, Hashable {
        package let path: String
        package let fileName: String

        package init(path: String, fileName: String) {
            self.path = path
            self.fileName = fileName
        }
    }

    package let content: Content
    /// What identifies the bytes, for the version manifest and cache keys: `sha256:<hex>` or
    /// `sha512:<hex>` for files, `git:<commit>`, `tree-sha256:<hex>` for path sources.
    package let identity: String
    /// Where the bytes came from this time: `cache`, a mirror location, the upstream URL, the
    /// repository, or the directory.
    package let origin: String

    package init(content: Content, identity: String, origin: String) {
        self.content = content
        self.identity = identity
        self.origin = origin
    }
}

/// A source laid out in a work directory.
package struct UnpackedSource: Sendable, Hashable {
    /// The directory everything was unpacked or copied into.
    package let root: String
    /// Where the build runs: `relative_path` if given, else an archive's single top-level
    /// directory, else `root`.
    package let buildDirectory: String

    package init(root: String, buildDirectory: String) {
        self.root = root
        self.buildDirectory = buildDirectory
    }
}
