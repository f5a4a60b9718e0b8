import Digest
import Foundation

/// The gems a gem step installed, from their pinned files: name and version as the file is
/// named (`name-version[-platform].gem`, what `gem build` writes) and the file's sha256.
enum GemPackages {
    static func read(_ files: [String]) -> [LanguagePackage] {
        files.compactMap { file in
            let base = ((file as NSString).lastPathComponent as NSString).deletingPathExtension
            let parts = base.split(separator: "-", omittingEmptySubsequences: false)
            // The version is the first part that starts with a digit; a gem name may hold dashes.
            guard let index = parts.indices.dropFirst().first(where: { parts[$0].first?.isNumber == true }) else { return nil }
            let checksum = (try? Digests.hex(.sha256, ofFile: file)).map { "sha256:" + $0 }
            return LanguagePackage(ecosystem: "gem", name: parts[..<index].joined(separator: "-"),
                                   version: parts[index...].joined(separator: "-"), checksum: checksum)
        }
    }
}
