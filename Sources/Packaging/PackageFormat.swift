/// The package formats this module writes.
public enum PackageFormat: String, Sendable, CaseIterable, Codable {
    case deb, rpm, tar
}
