import Foundation
import Linkage

/// Libraries a wheel's extension module carries inside itself rather than loading: the case
/// the manifest must name, because nothing on disk (no `.so` in `<package>.libs/`, no NEEDED
/// entry) says the module does not use the embedded copy. cryptography's `_rust.abi3.so` links
/// OpenSSL statically, so pyOpenSSL runs on that OpenSSL, not the one the stdlib `ssl` uses.
package enum StaticallyLinkedLibraries {
    /// An extension module larger than this is not searched (no wheel's module is near it).
    static let largestSearched = 256 << 20

    /// `["OpenSSL 4.0.3"]` when the module holds OpenSSL's version text (`OPENSSL_VERSION_TEXT`,
    /// "OpenSSL 4.0.3 29 Sep 2026", which only libcrypto itself contains) and does not load a
    /// libcrypto; empty otherwise, and for a file that is not ELF.
    package static func found(in path: String) -> [String] {
        guard let elf = try? ELFFile.read(path: path),
              !elf.needed.contains(where: { $0.hasPrefix("libcrypto.so") || $0.hasPrefix("libcrypto-") }),
              let size = (try? FileManager.default.attributesOfItem(atPath: path)[.size] as? Int), size <= largestSearched,
              let data = FileManager.default.contents(atPath: path) else { return [] }
        return openSSLVersions(in: data).map { "OpenSSL " + $0 }
    }

    /// Every distinct `X.Y.Z[letter]` that follows "OpenSSL " and precedes a release date
    /// (`29 Sep 2026`), in order of first appearance.
    package static func openSSLVersions(in data: Data) -> [String] {
        let marker = Array("OpenSSL ".utf8)
        var versions: [String] = []
        data.withUnsafeBytes { (raw: UnsafeRawBufferPointer) in
            let bytes = raw.bindMemory(to: UInt8.self)
            var index = 0
            while index + marker.count < bytes.count {
                guard bytes[index] == marker[0], bytes[index..<(index + marker.count)].elementsEqual(marker) else { index += 1; continue }
                var end = index + marker.count
                while end < bytes.count, end - index < 80, bytes[end] >= 0x20, bytes[end] < 0x7f { end += 1 }
                let text = String(decoding: bytes[(index + marker.count)..<end], as: UTF8.self)
                if let version = versionWithDate(text), !versions.contains(version) { versions.append(version) }
                index = end
            }
        }
        return versions
    }

    /// "4.0.3 29 Sep 2026" gives "4.0.3"; anything else (a message that mentions OpenSSL) nil.
    static func versionWithDate(_ text: String) -> String? {
        let words = text.split(separator: " ")
        guard words.count >= 4 else { return nil }
        let version = words[0], day = words[1], month = words[2], year = words[3]
        let numbers = version.split(separator: ".", omittingEmptySubsequences: false)
        guard numbers.count == 3, numbers[0].allSatisfy(\.isNumber), numbers[1].allSatisfy(\.isNumber), !numbers[0].isEmpty, !numbers[1].isEmpty,
              let patch = numbers[2].first, patch.isNumber,
              numbers[2].allSatisfy({ $0.isNumber || $0.isLowercase }),
              (1...2).contains(day.count), day.allSatisfy(\.isNumber),
              month.count == 3, month.first?.isUppercase == true,
              year.count == 4, year.allSatisfy(\.isNumber) else { return nil }
        return String(version)
    }
}
