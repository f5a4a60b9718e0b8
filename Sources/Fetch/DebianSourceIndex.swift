import Digest
import Foundation

/// What `apt-cache showsrc` says about a source package's versions: which files each version
/// has and their sha256, so that the version whose `.orig` matches a checksum can be chosen
/// before anything is downloaded.
struct DebianSourceIndex: Sendable {
    struct Version: Sendable {
        let package: String
        let version: String
        /// File name -> sha256, from the signed Sources index.
        let sha256: [String: String]
    }

    let versions: [Version]

    init(showsrcOutput text: String) {
        var versions: [Version] = []
        for stanza in text.components(separatedBy: "\n\n") {
            var package = ""
            var version = ""
            var files: [String: String] = [:]
            var inChecksums = false
            for line in stanza.split(separator: "\n", omittingEmptySubsequences: true) {
                if line.first == " " {
                    guard inChecksums else { continue }
                    let fields = line.split(separator: " ")
                    if fields.count == 3 { files[String(fields[2])] = String(fields[0]) }
                    continue
                }
                inChecksums = line.hasPrefix("Checksums-Sha256:")
                if line.hasPrefix("Package:") { package = Self.value(line) }
                if line.hasPrefix("Version:") { version = Self.value(line) }
            }
            if !package.isEmpty, !version.isEmpty,
               !versions.contains(where: { $0.package == package && $0.version == version }) {
                versions.append(Version(package: package, version: version, sha256: files))
            }
        }
        self.versions = versions
    }

    /// The version holding an `.orig` file with this sha256, if any.
    func version(withOrigSHA256 hex: String) -> Version? {
        versions.first { version in
            version.sha256.contains { DebianOrigFiles.isOrig($0.key) && $0.value == hex }
        }
    }

    private static func value(_ line: Substring) -> String {
        String(line.drop { $0 != ":" }.dropFirst()).trimmingCharacters(in: .whitespaces)
    }
}

/// Debian's names for upstream tarballs: `pkg_ver.orig.tar.*` and component tarballs
/// `pkg_ver.orig-name.tar.*`; their detached signatures (`.asc`) are not sources. A native
/// package (such as `ca-certificates`) has no upstream tarball: its one `pkg_ver.tar.*` is the
/// source, so it counts too; a non-native package's `.debian.tar.*` holds only Debian's
/// packaging and never does.
enum DebianOrigFiles {
    static func isOrig(_ name: String) -> Bool {
        guard !name.hasSuffix(".asc") else { return false }
        if name.contains(".orig.") || name.contains(".orig-") { return true }
        return name.contains("_") && name.contains(".tar.") && !name.contains(".debian.tar.")
    }
}
