import Definitions
import Foundation

/// `path:` (with optional `exclude:` patterns): a local directory, relative to the definition,
/// identified by a hash of what is copied.
package struct PathSource: FetchableSource, Hashable {
    package static let name = "path"
    package static let keys = ["path", "exclude"]
    package static let usage = "path"
    package static let describedAs = "a path source (it is hashed by content)"

    /// As written in the definition, for manifests and keys.
    package let path: String
    /// The directory it names, absolute.
    package let directory: String
    /// Glob patterns (see `Glob`) of paths inside it that are neither hashed nor copied.
    package let exclude: [String]

    package init(directory: String, exclude: [String] = [], writtenAs path: String? = nil) {
        self.path = path ?? directory
        self.directory = URL(fileURLWithPath: directory).standardizedFileURL.path
        self.exclude = exclude
    }

    package static func decode(_ map: MappingReader, _ decoding: inout SourceDecoding) -> PathSource? {
        guard let path = decoding.string(map, "path") else { return nil }
        let resolved = path.value.hasPrefix("/") ? path.value : decoding.directory + "/" + path.value
        var isDirectory: ObjCBool = false
        if !FileManager.default.fileExists(atPath: resolved, isDirectory: &isDirectory) || !isDirectory.boolValue {
            decoding.error("path source '\(path.value)' is not a directory (paths are relative to \(StepDecoding.shownDirectory(of: path)))",
                           at: path.location)
        }
        var exclude: [String] = []
        for pattern in decoding.stringList(map, "exclude") {
            let components = pattern.value.split(separator: "/", omittingEmptySubsequences: false)
            if pattern.value.isEmpty || pattern.value.hasPrefix("/") || components.contains("..") {
                decoding.error("'exclude' patterns are relative to the path source and stay inside it, found '\(pattern.value)'",
                               at: pattern.location)
            } else {
                exclude.append(pattern.value)
            }
        }
        return PathSource(directory: resolved, exclude: exclude, writtenAs: path.value)
    }

    package var location: String { path }
    package var mirrorFile: MirrorFile? { nil }
    package var keyText: String { "path(\"\(path)\", exclude: \(exclude))" }

    package func identity() throws(FetchError) -> String {
        try DirectoryTree.contentHash(of: directory, exclude: exclude)
    }

    package func fetch(with fetcher: SourceFetcher, events: FetchEventHandler?) async throws(FetchError) -> FetchedSource {
        FetchedSource(content: .directory(path: directory, exclude: exclude), identity: try identity(), origin: directory)
    }
}
