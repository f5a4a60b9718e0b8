import Archive
import Definitions

/// `.tar.gz` / `.tar.xz` / `.tar.zst` of the install dir: exactly the deb's `data.tar.<ext>`
/// (members `./`, `./opt/`, `./opt/demo/bin/tool`, ...), so one compression serves both and
/// `tar -xf PKG -C /` installs it. No scripts.
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

    package var payloadNeeds: PayloadNeeds { PayloadNeeds(dataTar: [compression]) }

    package func write(_ contents: PackageContents, info: PackageInfo, to sink: any PackageSink,
                      scratchDirectory: String) throws {
        try writeWithOwnPayloads(contents, info: info, to: sink, scratchDirectory: scratchDirectory)
    }

    /// The package is the data tar, byte for byte the deb's `data.tar.<ext>` of the same compression.
    package func write(_ contents: PackageContents, info: PackageInfo, payloads: Payloads, to sink: any PackageSink,
                       scratchDirectory: String) throws {
        try checkInputs(contents, info)
        let data = try payloads.dataTar(compression)
        try FileChunks().read(data.path, expectedSize: data.size) { try sink.write($0) }
    }
}
