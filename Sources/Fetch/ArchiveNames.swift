/// Which file names are unpacked as archives. The name, not the content, decides, so that a
/// source that merely happens to look like an archive (a `.jar`, a single `.gz` file) is
/// handed to the build as the file it is.
enum ArchiveNames {
    static let suffixes = [".tar", ".tar.gz", ".tgz", ".tar.xz", ".txz", ".tar.bz2", ".tbz2", ".tbz",
                           ".tar.zst", ".tzst", ".tar.lz", ".tar.lzma", ".tar.z", ".zip"]

    static func isArchive(_ fileName: String) -> Bool {
        let lower = fileName.lowercased()
        return suffixes.contains { lower.hasSuffix($0) }
    }
}
