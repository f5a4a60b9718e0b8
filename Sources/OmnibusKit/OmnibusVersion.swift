/// The tool's own version, shown by `omnibus version` and recorded in package metadata.
public enum OmnibusVersion {
    public static let current = "0.1.0"
}
