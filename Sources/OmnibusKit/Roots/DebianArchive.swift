import Foundation

/// The Debian archive this machine's apt is configured for, so roots come from the same mirror
/// (an offline or company mirror included) instead of a hard-coded one.
package enum DebianArchive {
    package static let fallback = "http://deb.debian.org/debian"

    /// The first `URIs:` of a deb822 `.sources` file, else the first `deb` line of
    /// `sources.list`, that is not a security or updates archive; `fallback` when none.
    package static func configuredURI(etcApt: String = "/etc/apt") -> String {
        let fm = FileManager.default
        let dir = etcApt + "/sources.list.d"
        let files = ((try? fm.contentsOfDirectory(atPath: dir)) ?? []).sorted()
        for file in files where file.hasSuffix(".sources") {
            guard let text = try? String(contentsOfFile: dir + "/" + file, encoding: .utf8) else { continue }
            for stanza in text.components(separatedBy: "\n\n") {
                let fields = stanza.split(separator: "\n").filter { !$0.hasPrefix("#") }
                guard fields.contains(where: { $0.hasPrefix("Types:") && $0.split(separator: " ").contains("deb") }) else { continue }
                if let uris = fields.first(where: { $0.hasPrefix("URIs:") }),
                   let uri = uris.split(separator: " ").dropFirst().first.map(String.init), usable(uri) {
                    return uri
                }
            }
        }
        let lists = [etcApt + "/sources.list"] + files.filter { $0.hasSuffix(".list") }.map { dir + "/" + $0 }
        for list in lists {
            guard let text = try? String(contentsOfFile: list, encoding: .utf8) else { continue }
            for line in text.split(separator: "\n") {
                // `deb [options] URI suite components`
                let words = line.split(separator: " ").filter { !$0.hasPrefix("[") && !$0.hasSuffix("]") }
                if words.first == "deb", words.count > 1, usable(String(words[1])) { return String(words[1]) }
            }
        }
        return fallback
    }

    private static func usable(_ uri: String) -> Bool {
        !uri.contains("security") && (uri.hasPrefix("http") || uri.hasPrefix("file:") || uri.hasPrefix("ftp"))
    }
}
