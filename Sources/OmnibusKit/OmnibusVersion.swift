import Archive
import Digest

/// The tool's own version, shown by `omnibus version` and recorded in package metadata.
package enum OmnibusVersion {
    package static let current = "0.1.0"

    /// The C libraries the tool runs with, as they report themselves.
    package static var libraries: [String] { [LibarchiveVersion.runtime, OpenSSLVersion.runtime] }
}
