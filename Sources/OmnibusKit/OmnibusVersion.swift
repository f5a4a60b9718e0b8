/// The tool's own version, shown by `omnibus version` and recorded in package metadata.
package enum OmnibusVersion {
    package static let current = "0.1.0"
}
