import Archive
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// What the formats of one run need from the install dir, gathered so that `PayloadPass` reads
/// each file once for all of them and compresses the same bytes only once.
package struct PayloadNeeds: Sendable, Equatable {
    /// Compressions of the data tar (`./opt/demo/...`, parents first, GNU tar): the deb's
    /// `data.tar.<ext>` and the `.tar.<ext>` package are this one stream, so a deb and a tarball
    /// with the same algorithm and level share one compression.
    package var dataTar: [ArchiveCompression] = []
    /// Compression of rpm's cpio payload, when an rpm is written.
    package var cpio: ArchiveCompression?
    /// MD5 of every regular file in data tar order (the deb's `md5sums`).
    package var md5 = false

    package init(dataTar: [ArchiveCompression] = [], cpio: ArchiveCompression? = nil, md5: Bool = false) {
        self.dataTar = dataTar
        self.cpio = cpio
        self.md5 = md5
    }

    package static let none = PayloadNeeds()

    /// Everything `self` and `other` need; a data tar compression wanted twice is made once.
    package func merged(with other: PayloadNeeds) -> PayloadNeeds {
        var merged = self
        for compression in other.dataTar where !merged.dataTar.contains(where: { $0.sameBytes(as: compression) }) {
            merged.dataTar.append(compression)
        }
        merged.cpio = merged.cpio ?? other.cpio
        merged.md5 = md5 || other.md5
        return merged
    }
}

/// The streams `PayloadPass` wrote, as files in a scratch directory, and the file digests it
/// computed while reading.
package struct Payloads: Sendable {
    package struct File: Sendable {
        package var path: String
        /// Compressed bytes in the file.
        package var size: Int64
        /// Bytes of the archive before compression.
        package var uncompressedSize: Int64
        /// SHA-256 of the compressed file, hex.
        package var sha256: String
    }

    package var dataTar: [(compression: ArchiveCompression, file: File)] = []
    package var cpio: File?
    /// Hex MD5 of each regular file (hard links included) in data tar member order.
    package var md5: [(path: String, digest: String)] = []
    /// Hex SHA-256 of each regular file (hard links included) by install path, for rpm's header.
    package var sha256: [String: String] = [:]
    /// The layers whose compressed data tar was copied from the `PayloadSegmentStore`.
    package var reusedLayers: [String] = []

    /// Deletes the payload files.
    package func remove() {
        for path in dataTar.map(\.file.path) + [cpio?.path].compactMap({ $0 }) { unlink(path) }
    }

    /// The data tar compressed with `compression`.
    func dataTar(_ compression: ArchiveCompression) throws(PackagingError) -> File {
        guard let file = dataTar.first(where: { $0.compression.sameBytes(as: compression) })?.file else {
            throw .archive("no data tar was compressed with \(compression.algorithm.rawValue) level \(compression.level)")
        }
        return file
    }
}

extension ArchiveCompression {
    /// Whether two settings give the same bytes: threads never change them.
    func sameBytes(as other: ArchiveCompression) -> Bool {
        algorithm == other.algorithm && level == other.level
    }
}
