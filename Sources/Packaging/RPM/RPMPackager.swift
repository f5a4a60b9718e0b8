import Archive
import Definitions
import Digest
import Foundation

/// `.rpm` (format v4) writer: lead, signature header, header, payload, all produced here.
///
/// Order of work: the compressed cpio payload is a temporary file (`PayloadPass`, shared with
/// the other formats' read of the files; its SHA-256 is a header tag), then the header is built, then the signature header, which holds the header's SHA-256,
/// the MD5 of header and payload, and both sizes, as `rpm -K` checks. Only the install dir and
/// what is below it are listed, so the package never claims `/`, `/opt`, `/usr`, ...
package struct RPMPackager: Packager {
    package let compression: ArchiveCompression
    /// rpm's Vendor tag (nil: none) and Group tag.
    package let vendor: String?
    package let group: String
    /// rpm relations by option key (`requires`, `recommends`, ...), added to what the neutral
    /// `runtime_dependencies`, `conflicts`, `replaces` and `provides` give.
    package let relations: [String: [String]]

    package static let name = "rpm"
    package static let optionDefaults = ["vendor": "", "group": "default", "pretrans": "", "posttrans": ""]
    /// `%pretrans` and `%posttrans`: rpm runs them once per transaction; dpkg has no such thing.
    package static let scriptOptions = ["pretrans", "posttrans"]
    package static let relationOptions = ["requires", "recommends", "suggests", "supplements", "enhances", "provides",
                                          "conflicts", "obsoletes"]
    package static let defaultCompression = ArchiveCompression.Algorithm.gzip

    package init(compression: ArchiveCompression = ArchiveCompression(.gzip), vendor: String? = nil,
                 group: String = "Unspecified", relations: [String: [String]] = [:]) {
        self.compression = compression
        self.vendor = vendor
        self.group = group
        self.relations = relations
    }

    package init(options: FormatOptions) {
        self.init(compression: options.archiveCompression, vendor: options["vendor"],
                  group: options["group"] ?? "default", relations: options.relations)
    }

    package func architectureName(for info: PackageInfo) -> String { info.architecture.rpm }

    package func preflight(_ contents: PackageContents) throws(PackagingError) {
        try RPMPayload.check(contents)
    }

    /// `<name>-<version>-<release>.<arch>.rpm`, rpm's convention.
    package func fileName(for info: PackageInfo) -> String {
        "\(info.name)-\(info.rpmVersion)-\(info.rpmRelease).\(info.architecture.rpm).rpm"
    }

    package var payloadNeeds: PayloadNeeds { PayloadNeeds(cpio: compression) }

    package func write(_ contents: PackageContents, info: PackageInfo, to sink: any PackageSink,
                      scratchDirectory: String) throws {
        try writeWithOwnPayloads(contents, info: info, to: sink, scratchDirectory: scratchDirectory)
    }

    package func write(_ contents: PackageContents, info: PackageInfo, payloads: Payloads, to sink: any PackageSink,
                       scratchDirectory: String) throws {
        try checkInputs(contents, info, options: [("vendor", vendor ?? ""), ("group", group)])
        let payload = try RPMPayload(payloads)
        let header = try RPMHeaderBuilder(info: info, contents: contents, payload: payload, compression: compression,
                                         vendor: vendor, group: group, relations: relations).build().encoded(regionTag: RPMTag.headerImmutable)

        let md5 = try StreamingDigest(.md5)
        md5.update(header)
        let chunks = FileChunks()
        try chunks.read(payload.path, expectedSize: payload.compressedSize) { md5.update($0) }
        let signature = try signatureHeader(header: header, payload: payload, md5: md5.finalize())

        let lead = RPMLead.bytes(name: "\(info.name)-\(info.rpmVersion)-\(info.rpmRelease)",
                                 architecture: info.architecture)
        for part in [lead, signature, header] { try part.withUnsafeBytes { try sink.write($0) } }
        try chunks.read(payload.path, expectedSize: payload.compressedSize) { try sink.write($0) }
    }

    /// The signature header (digests and sizes of what follows).
    private func signatureHeader(header: [UInt8], payload: RPMPayload, md5: [UInt8]) throws -> [UInt8] {
        var signature = RPMHeader()
        signature[RPMSignatureTag.sha256] = .string(try Digests.hex(.sha256, of: header))
        let total = Int64(header.count) + payload.compressedSize
        if total > Int64(UInt32.max) {
            signature[RPMSignatureTag.longSize] = .int64([UInt64(total)])
        } else {
            signature[RPMSignatureTag.size] = .int32([UInt32(total)])
        }
        signature[RPMSignatureTag.md5] = .binary(md5)
        if payload.uncompressedSize > Int64(UInt32.max) {
            signature[RPMSignatureTag.longArchiveSize] = .int64([UInt64(payload.uncompressedSize)])
        } else {
            signature[RPMSignatureTag.payloadSize] = .int32([UInt32(payload.uncompressedSize)])
        }
        return signature.encodedAsSignatureHeader()
    }
}
