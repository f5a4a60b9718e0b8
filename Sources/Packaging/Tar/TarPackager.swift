import Archive

/// `.tar.gz` / `.tar.xz` / `.tar.zst` of the install dir: GNU tar members named from the root
/// without a leading `/` (`opt/demo/bin/tool`), so `tar -xf PKG -C /` installs it. No scripts.
public struct TarPackager: Packager {
    public let compression: ArchiveCompression

    public init(compression: ArchiveCompression = ArchiveCompression(.gzip)) {
        self.compression = compression
    }

    public var format: PackageFormat { .tar }

    /// `<name>-<version>-<iteration>.<platform>.<arch>.tar.<ext>`, e.g.
    /// `demo-1.4.2-1.debian12.x86_64.tar.gz`.
    public func fileName(for info: PackageInfo) -> String {
        "\(info.name)-\(info.rpmVersion)-\(info.rpmRelease).\(info.platform.tag).\(info.architecture.rpm).tar.\(compression.algorithm.fileExtension)"
    }

    public func write(_ contents: PackageContents, info: PackageInfo, to sink: any PackageSink,
                      scratchDirectory: String) throws {
        try checkInputs(contents, info)
        let writer = try ArchiveWriter(format: .gnutar, compression: compression) { try sink.write($0) }
        _ = try TarMembers(prefix: "", includeParents: false, epoch: info.effectiveEpoch)
            .write(contents, to: writer, chunks: FileChunks())
        try writer.finish()
    }
}
