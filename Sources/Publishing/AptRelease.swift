import Digest
import Foundation

/// `dists/<suite>/Release`: what the suite is and the digest of every index in it, which is what
/// the signature in `InRelease` and `Release.gpg` vouches for.
struct AptRelease {
    let origin: String
    let label: String
    let suite: String
    let date: Int64
    let description: String

    init(origin: String, label: String, suite: String, date: Int64, description: String) throws(PublishError) {
        for (field, value) in [("Origin", origin), ("Label", label), ("Suite", suite), ("Description", description)]
            where value.contains(where: \.isNewline) {
            throw .write(path: "Release", reason: "the \(field) '\(value)' spans lines; give it on one line")
        }
        self.origin = origin
        self.label = label
        self.suite = suite
        self.date = date
        self.description = description
    }

    /// Lists every `Packages*` index under every component of the suite, so publishing into one
    /// component keeps the others' indexes signed.
    func text(suiteDirectory: String) throws(PublishError) -> String {
        let manager = FileManager.default
        var indexes: [String] = []
        var components: [String] = []
        var architectures = Set<String>()
        for component in ((try? manager.contentsOfDirectory(atPath: suiteDirectory)) ?? []).sorted() {
            let componentDir = suiteDirectory + "/" + component
            let binaries = ((try? manager.contentsOfDirectory(atPath: componentDir)) ?? []).filter { $0.hasPrefix("binary-") }.sorted()
            guard !binaries.isEmpty else { continue }
            components.append(component)
            for binary in binaries {
                architectures.insert(String(binary.dropFirst("binary-".count)))
                for file in ["Packages", "Packages.gz", "Packages.xz"]
                    where manager.fileExists(atPath: componentDir + "/" + binary + "/" + file) {
                    indexes.append(component + "/" + binary + "/" + file)
                }
            }
        }
        var lines = ["Origin: \(origin)", "Label: \(label)", "Suite: \(suite)", "Codename: \(suite)",
                     "Date: \(Self.format(date))", "Architectures: \(architectures.sorted().joined(separator: " "))",
                     "Components: \(components.joined(separator: " "))", "Description: \(description)", "Acquire-By-Hash: yes"]
        // As Debian's archive: apt checks the strongest digest listed and fetches `by-hash/` by it,
        // so the copies kept under by-hash/SHA256 must be named by the strongest one here.
        var sums: [(DigestAlgorithm, String, [String])] = [(.md5, "MD5Sum", []), (.sha256, "SHA256", [])]
        let width = indexes.map { RepositoryFiles.size(of: suiteDirectory + "/" + $0) }.map { String($0).count }.max() ?? 1
        for index in indexes {
            let path = suiteDirectory + "/" + index
            let digests = try RepositoryFiles.digests(ofFile: path, sums.map(\.0))
            let size = String(RepositoryFiles.size(of: path))
            for position in sums.indices {
                let padded = String(repeating: " ", count: max(0, width - size.count)) + size
                sums[position].2.append(" \(digests[sums[position].0] ?? "") \(padded) \(index)")
            }
        }
        for (_, title, entries) in sums {
            lines.append(title + ":")
            lines += entries
        }
        return lines.joined(separator: "\n") + "\n"
    }

    /// RFC 2822 in UTC, the form apt parses (`Sat, 01 Jan 2022 00:00:00 UTC`).
    static func format(_ epoch: Int64) -> String {
        formatter().string(from: Date(timeIntervalSince1970: TimeInterval(epoch)))
    }

    /// The `Date:` of the suite's current Release, so a later publish never dates it earlier.
    static func date(ofReleaseIn suiteDirectory: String) -> Int64? {
        guard let data = FileManager.default.contents(atPath: suiteDirectory + "/Release"),
              let stanza = try? ControlStanza.parseAll(String(decoding: data, as: UTF8.self)).first,
              let text = stanza["Date"], let date = formatter().date(from: text) else { return nil }
        return Int64(date.timeIntervalSince1970)
    }

    /// The SHA-256 of every index the suite's current Release signs.
    static func sha256Sums(ofReleaseIn suiteDirectory: String) -> Set<String> {
        guard let data = FileManager.default.contents(atPath: suiteDirectory + "/Release") else { return [] }
        return sha256Sums(ofRelease: String(decoding: data, as: UTF8.self))
    }

    /// The same for the Release InRelease carries, which differs from `Release` only after a
    /// publish stopped between the two renames.
    static func sha256Sums(ofInReleaseIn suiteDirectory: String) -> Set<String> {
        signedText(ofInReleaseIn: suiteDirectory).map(sha256Sums(ofRelease:)) ?? []
    }

    private static func sha256Sums(ofRelease text: String) -> Set<String> {
        guard let stanza = try? ControlStanza.parseAll(text).first, let sums = stanza["SHA256"] else { return [] }
        return Set(sums.split(separator: "\n").compactMap { $0.split(separator: " ").first.map(String.init) })
    }

    /// The text `InRelease` signs (RFC 4880 cleartext: after the armor headers, up to the
    /// signature, dash-escaping undone), or nil when there is no readable InRelease.
    static func signedText(ofInReleaseIn suiteDirectory: String) -> String? {
        guard let data = FileManager.default.contents(atPath: suiteDirectory + "/InRelease") else { return nil }
        let lines = String(decoding: data, as: UTF8.self).split(separator: "\n", omittingEmptySubsequences: false)
        guard let begin = lines.firstIndex(of: "-----BEGIN PGP SIGNED MESSAGE-----"),
              let blank = lines[begin...].firstIndex(of: ""),
              let end = lines[blank...].firstIndex(of: "-----BEGIN PGP SIGNATURE-----") else { return nil }
        let body = lines[(blank + 1)..<end].map { $0.hasPrefix("- ") ? String($0.dropFirst(2)) : String($0) }
        return body.joined(separator: "\n") + "\n"
    }

    private static func formatter() -> DateFormatter {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "UTC")
        formatter.dateFormat = "EEE, dd MMM yyyy HH:mm:ss 'UTC'"
        return formatter
    }
}
