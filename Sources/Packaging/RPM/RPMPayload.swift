/// What the rpm header says about the payload: the compressed cpio archive (`CPIOMembers`)
/// that `PayloadPass` wrote, and the file digests it computed from the same read of each file.
struct RPMPayload {
    /// The compressed payload file.
    var path: String
    var compressedSize: Int64
    var uncompressedSize: Int64
    /// SHA-256 of the compressed payload, hex.
    var sha256: String
    /// SHA-256 of each regular file (hard links included), hex, by install path.
    var fileDigests: [String: String]

    /// rpm reads member names of up to 4096 bytes, NUL included.
    static let maximumNameBytes = 4095

    /// What rpm's cpio payload cannot carry, found before any package is written.
    static func check(_ contents: PackageContents) throws(PackagingError) {
        for entry in contents.entries {
            guard ("." + entry.path).utf8.count <= maximumNameBytes else {
                throw .unsupportedEntry(path: entry.path, reason: "the path is longer than the 4095 bytes rpm reads")
            }
            guard !entry.isRegular || entry.size <= Int64(UInt32.max) else {
                throw .unsupportedEntry(path: entry.path, reason: "files of 4 GiB or more do not fit rpm's cpio payload; drop rpm from package.formats or exclude the file")
            }
        }
    }
}

extension RPMPayload {
    init(_ payloads: Payloads) throws(PackagingError) {
        guard let file = payloads.cpio else { throw .archive("the rpm payload was not written") }
        self.init(path: file.path, compressedSize: file.size, uncompressedSize: file.uncompressedSize, sha256: file.sha256,
                  fileDigests: payloads.sha256)
    }
}
