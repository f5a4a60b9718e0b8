/// The package formats this module writes.
package enum PackageFormat: String, Sendable, CaseIterable, Codable {
    case deb, rpm, tar
}
