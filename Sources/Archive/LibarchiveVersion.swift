import CArchive

package enum LibarchiveVersion {
    /// The loaded libarchive and the compression libraries it was built with.
    package static var runtime: String { String(cString: archive_version_details()) }
}
