import Definitions
import Digest
import Foundation

/// `url:` with `sha256:`/`sha512:` (and optionally `file:` and `debian:`): a download accepted
/// only with its checksum, from the cache, a mirror or upstream.
package struct URLSource: FetchableSource, Hashable {
    package static let name = "url"
    package static let keys = ["url", "sha256", "sha512", "file", "debian"]
    package static let usage = "url (with sha256 or sha512)"
    package static let describedAs = "a url source"

    package let url: URL
    package let checksum: Checksum
    /// Overrides the name taken from the URL (used for the cache, mirrors and the archive format).
    package let fileName: String?
    /// The Debian source package whose `.orig` has the same bytes.
    package let debian: String?

    package init(url: URL, checksum: Checksum, fileName: String? = nil, debian: String? = nil) {
        self.url = url
        self.checksum = checksum
        self.fileName = fileName
        self.debian = debian
    }

    package static func decode(_ map: MappingReader, _ decoding: inout SourceDecoding) -> URLSource? {
        guard let text = decoding.string(map, "url") else { return nil }
        let url = URL(string: text.value)
        if !["http://", "https://", "file://"].contains(where: text.value.hasPrefix) || url == nil {
            decoding.error("'url' must start with https://, http:// or file://, found '\(text.value)'", at: text.location)
        }
        let checksum = decoding.checksum(map, missing: "a url source needs a checksum: add 'sha256: <64 hex digits>' or 'sha512: <128 hex digits>'")
        let fileName = decoding.string(map, "file")
        if let fileName { decoding.checkFileName(fileName) }
        let debian = decoding.string(map, "debian")?.value
        guard let url, let checksum else { return nil }
        return URLSource(url: url, checksum: checksum, fileName: fileName?.value, debian: debian)
    }

    package var storedName: String { fileName ?? url.lastPathComponent }
    package var location: String { url.absoluteString }
    package var mirrorFile: MirrorFile? { MirrorFile(fileName: storedName, checksum: checksum, debian: debian) }
    package var keyText: String {
        "url(\"\(url.absoluteString)\", \(checksum), fileName: \(fileName.map { "\"\($0)\"" } ?? "nil"), debian: \(debian.map { "\"\($0)\"" } ?? "nil"))"
    }

    package func identity() -> String { checksum.description }

    package func fetch(with fetcher: SourceFetcher, events: FetchEventHandler?) async throws(FetchError) -> FetchedSource {
        guard let scheme = url.scheme?.lowercased(), ["http", "https", "file"].contains(scheme) else {
            throw .invalidSource("\(url.absoluteString): only http, https and file URLs can be fetched")
        }
        return try await fetcher.fetchFile(storedName, checksum: checksum, upstream: url, debian: nil, events: events)
    }
}
