import Definitions
import Digest

/// `file:` with a checksum and no URL: bytes only a source mirror has, such as Debian's
/// repacked `zlib_1.2.13.dfsg.orig.tar.bz2`; there is no upstream to fall back on.
package struct MirrorFileSource: FetchableSource, Hashable {
    package static let name = "file"
    package static let keys = ["file", "sha256", "sha512", "debian"]
    package static let usage = "file (mirror-only, with a checksum)"
    package static let describedAs = "a mirror-only (file) source"

    package let fileName: String
    package let checksum: Checksum
    package let debian: String?

    package init(fileName: String, checksum: Checksum, debian: String? = nil) {
        self.fileName = fileName
        self.checksum = checksum
        self.debian = debian
    }

    package static func decode(_ map: MappingReader, _ decoding: inout SourceDecoding) -> MirrorFileSource? {
        guard let file = decoding.string(map, "file") else { return nil }
        decoding.checkFileName(file)
        guard let checksum = decoding.checksum(map, missing: "a mirror-only (file) source needs a checksum: add 'sha256: <64 hex digits>' or 'sha512: <128 hex digits>'")
        else { return nil }
        return MirrorFileSource(fileName: file.value, checksum: checksum, debian: decoding.string(map, "debian")?.value)
    }

    package var location: String { fileName }
    package var mirrorFile: MirrorFile? { MirrorFile(fileName: fileName, checksum: checksum, debian: debian) }
    package var keyText: String {
        "mirrorOnly(fileName: \"\(fileName)\", \(checksum), debian: \(debian.map { "\"\($0)\"" } ?? "nil"))"
    }

    package func identity() -> String { checksum.description }

    package func fetch(with fetcher: SourceFetcher, events: FetchEventHandler?) async throws(FetchError) -> FetchedSource {
        try await fetcher.fetchFile(fileName, checksum: checksum, upstream: nil,
                                    debian: debian.map(DebianOrigin.init(parsing:)), events: events)
    }
}
