import CArchive

public enum LibarchiveVersion {
    /// The loaded libarchive and the compression libraries it was built with.
    public static var runtime: String { String(cString: archive_version_details()) }
}
