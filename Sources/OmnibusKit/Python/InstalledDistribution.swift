/// One Python distribution a `pip` step installed, as the version manifest and the licence
/// summary name it. The step writes the list into the layer (`distributionsRecord`), so a layer
/// restored from the cache still tells what it holds.
package struct InstalledDistribution: Codable, Sendable, Equatable {
    package let name: String
    package let version: String
    /// License-Expression, else a one-line License, else the licence classifiers, else UNKNOWN.
    package let license: String
    /// The installed file (wheel or sdist) as pinned.
    package let file: String
    /// `sha256:<hex>` of that file.
    package let checksum: String
    /// Licence texts copied from its `.dist-info`, relative to the install dir.
    package let licenseFiles: [String]
    /// Shared libraries the wheel carries in its own `<package>.libs/` (auditwheel's vendoring:
    /// `libssl-…so.3`), which the embedded ones do not replace.
    package let bundledLibraries: [String]
    /// Its compiled extension modules (`_rust.abi3.so`), which may link libraries statically.
    package let nativeExtensions: [String]
    /// Libraries found linked into those modules (`OpenSSL 4.0.3`): they, not the embedded
    /// copies, are what the distribution runs on.
    package let staticallyLinked: [String]

    enum CodingKeys: String, CodingKey {
        case name, version, license, file, checksum
        case licenseFiles = "license_files"
        case bundledLibraries = "bundled_native_libraries"
        case nativeExtensions = "native_extensions"
        case staticallyLinked = "statically_linked"
    }

    /// Where in the install dir a software's record is: `LICENSES/<software>/python-distributions.json`.
    package static func recordPath(software: String) -> String { "LICENSES/\(software)/python-distributions.json" }

    /// The line the licence summary shows.
    var summaryLine: String {
        var line = "\(name) \(version): \(license) (\(file), \(checksum))"
        if !bundledLibraries.isEmpty { line += "; bundles native libraries: " + bundledLibraries.joined(separator: ", ") }
        if !nativeExtensions.isEmpty { line += "; native extensions: " + nativeExtensions.joined(separator: ", ") }
        // The step stands in for `license_files`, so a distribution that ships no text is said.
        if licenseFiles.isEmpty { line += "; ships no licence text" }
        if !staticallyLinked.isEmpty { line += "; statically links " + staticallyLinked.joined(separator: ", ") + " (not the embedded copy)" }
        return line
    }
}
