/// A pinned digest of a source file: the only thing that decides whether bytes are accepted,
/// wherever they come from (cache, mirror or upstream). Definitions decode it, Fetch verifies
/// against it, manifests and cache keys print it.
package struct Checksum: Sendable, Hashable, CustomStringConvertible {
    /// `.sha256` or `.sha512`; MD5 is refused because it does not protect integrity.
    package let algorithm: DigestAlgorithm
    /// Lowercase hex digest.
    package let hex: String

    package struct Invalid: Error, Sendable, Equatable, CustomStringConvertible {
        package let description: String
    }

    /// The algorithms a source may be pinned with, as definitions name them.
    package static let algorithms: [DigestAlgorithm] = [.sha256, .sha512]

    /// Validates the algorithm and the hex digest's length and digits; upper-case hex is accepted
    /// and normalised to lower case.
    package init(_ algorithm: DigestAlgorithm, _ hex: String) throws(Invalid) {
        guard Self.algorithms.contains(algorithm) else {
            throw Invalid(description: "\(algorithm.rawValue) is not accepted for sources; use sha256 or sha512")
        }
        let lower = hex.lowercased()
        let expectedLength = algorithm.byteCount * 2
        guard lower.utf8.count == expectedLength, lower.utf8.allSatisfy(Self.isHexDigit) else {
            throw Invalid(description:
                "'\(hex)' is not a \(algorithm.rawValue) digest: expected \(expectedLength) hex digits (0-9, a-f)")
        }
        self.algorithm = algorithm
        self.hex = lower
    }

    /// `sha256:<hex>`, the form used in messages, manifests and cache keys.
    package var description: String { "\(algorithm.rawValue):\(hex)" }

    /// Whether the file at `path` has this digest; the actual digest is returned for messages.
    package func verify(file path: String) throws(DigestError) -> (matches: Bool, actual: String) {
        let actual = try Digests.hex(algorithm, ofFile: path)
        return (actual == hex, actual)
    }

    private static func isHexDigit(_ byte: UInt8) -> Bool {
        (byte >= 48 && byte <= 57) || (byte >= 97 && byte <= 102)
    }
}
