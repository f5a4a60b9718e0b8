import Archive
import Definitions

/// `.tar.gz` / `.tar.xz` / `.tar.zst` of the install dir: GNU tar members named from the root
/// without a leading `/` (`opt/demo/bin/tool`), so `tar -xf PKG -C /` installs it. No scripts.
package struct TarPackager: Packager {
    package let compression: ArchiveCompression

    package static let name = "tar"
    package static let optionDefaults: [String: String] = [:]
    package static let defaultCompression = ArchiveCompression.Algorithm.gzip

    package init(compression: ArchiveCompression = ArchiveCompression(.gzip)) {
        self.compression = compression
    }

    package init(options: FormatOptions) {
        self.init(compression: options.archiveCompression)
    }

    package func architectureName(for info: PackageInfo) -> String { info.architecture.rpm }

    /// `<name>-<version>-<iteration>.<platform>.<arch>.tar.<ext>`, e.g.
    /// `demo-1.4.2-1.debian12.x86_64.tar.gz`.
    package func fileName(for info: PackageInfo) -> String {
        info.platformQualifiedName + ".tar.\(compression.algorithm.fileExtension)"
    }

    package func write(_ contents: PackageContents, info: PackageInfo, to sink: any PackageSink,
                      scratchDirectory: String) throws {
        try checkInputs(contents, info)
        let writer = try ArchiveWriter(format: .gnutar, compression: compression) { try sink.write($0) }
        _ = try TarMembers(prefix: "", includeParents: false, epoch: info.effectiveEpoch)
            .write(contents, to: writer, chunks: FileChunks())
        try writer.finish()
    }
}
