import Foundation

/// One-shot digests of bytes and files, as lowercase hex.
package enum Digests {
    package static func hex(_ algorithm: DigestAlgorithm, of bytes: some Sequence<UInt8>) throws(DigestError) -> String {
        let digest = try StreamingDigest(algorithm)
        digest.update(bytes)
        return hexString(digest.finalize())
    }

    /// Hashes a file in fixed-size chunks so memory stays flat for any file size.
    package static func hex(_ algorithm: DigestAlgorithm, ofFile path: String) throws(DigestError) -> String {
        try hex([algorithm], ofFile: path)[algorithm]!
    }

    /// Several digests in one pass over the file.
    package static func hex(_ algorithms: [DigestAlgorithm], ofFile path: String) throws(DigestError) -> [DigestAlgorithm: String] {
        guard let handle = FileHandle(forReadingAtPath: path) else {
            throw .unreadable(path: path, reason: String(cString: strerror(errno)))
        }
        defer { try? handle.close() }
        var digests: [(DigestAlgorithm, StreamingDigest)] = []
        for algorithm in algorithms { digests.append((algorithm, try StreamingDigest(algorithm))) }
        while true {
            let chunk: Data
            do { chunk = try handle.read(upToCount: 1 << 20) ?? Data() } catch {
                throw .unreadable(path: path, reason: "\(error)")
            }
            if chunk.isEmpty { break }
            chunk.withUnsafeBytes { raw in digests.forEach { $0.1.update(raw) } }
        }
        var result: [DigestAlgorithm: String] = [:]
        for (algorithm, digest) in digests { result[algorithm] = hexString(digest.finalize()) }
        return result
    }

    package static func hexString(_ bytes: [UInt8]) -> String {
        let digits = Array("0123456789abcdef".utf8)
        var out = [UInt8]()
        out.reserveCapacity(bytes.count * 2)
        for byte in bytes {
            out.append(digits[Int(byte >> 4)])
            out.append(digits[Int(byte & 0x0f)])
        }
        return String(decoding: out, as: UTF8.self)
    }
}
