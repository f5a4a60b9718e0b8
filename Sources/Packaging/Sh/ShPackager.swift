import Archive
import Definitions
import Foundation

/// `.sh` self-extracting installer for systems without a package manager, used like a makeself
/// archive: a POSIX shell header (`ShHeader`) followed by the preinst, the postinst and a
/// compressed tar archive of exactly the members the `tar` format writes. Run as root it
/// verifies the SHA-256 of everything after the header, runs the preinst (`install`), unpacks
/// into `/` and runs the postinst (`configure`); see the header's `--help` for the options.
///
/// The data goes to a temporary file first, hashed as it is written, because the header holds
/// its size and checksum and comes first; then the header and that file are copied out.
/// Written only when a project lists `sh` in `package.formats`.
package struct ShPackager: Packager {
    /// gzip unpacks everywhere (Debian's minbase has it); xz needs xz-utils and zstd needs
    /// zstd on the target, which the header checks before it unpacks anything.
    package let compression: ArchiveCompression

    package static let name = "sh"
    package static let optionDefaults: [String: String] = [:]
    package static let defaultCompression = ArchiveCompression.Algorithm.gzip
    package static let writtenByDefault = false

    package init(compression: ArchiveCompression = ArchiveCompression(.gzip)) {
        self.compression = compression
    }

    package init(options: FormatOptions) {
        self.init(compression: options.archiveCompression)
    }

    package func architectureName(for info: PackageInfo) -> String { info.architecture.rpm }

    /// `<name>-<version>-<iteration>.<platform>.<arch>.sh`, named like the tarball, e.g.
    /// `demo-1.4.2-1.debian12.x86_64.sh`.
    package func fileName(for info: PackageInfo) -> String {
        info.platformQualifiedName + ".sh"
    }

    package func write(_ contents: PackageContents, info: PackageInfo, to sink: any PackageSink,
                      scratchDirectory: String) throws {
        try checkInputs(contents, info)
        let dataPath = scratchDirectory + "/installer-data"
        defer { unlink(dataPath) }

        let data = try FileSink(creating: dataPath, digests: [.sha256])
        let preinst = Array((info.scripts[.preinst] ?? "").utf8)
        let postinst = Array((info.scripts[.postinst] ?? "").utf8)
        try preinst.withUnsafeBytes { try data.write($0) }
        try postinst.withUnsafeBytes { try data.write($0) }
        let writer = try ArchiveWriter(format: .gnutar, compression: compression) { try data.write($0) }
        _ = try TarMembers(prefix: "", includeParents: false, epoch: info.effectiveEpoch)
            .write(contents, to: writer, chunks: FileChunks())
        try writer.finish()
        let sha256 = try data.finish()[0]
        let scriptsSize = Int64(preinst.count + postinst.count)

        let header = ShHeader(
            name: info.name, version: "\(info.version)-\(info.iteration)", summary: info.synopsis,
            installDir: info.normalizedInstallDir, architecture: info.architecture.rpm,
            compression: compression.algorithm, preinstSize: Int64(preinst.count),
            postinstSize: Int64(postinst.count), payloadSize: data.byteCount - scriptsSize, sha256: sha256,
            configFiles: contents.configFiles.map(\.path))
        try Array(header.text.utf8).withUnsafeBytes { try sink.write($0) }
        try FileChunks().read(dataPath, expectedSize: data.byteCount) { try sink.write($0) }
    }
}
