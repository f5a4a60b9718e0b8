import Digest

/// Counts and hashes bytes without keeping them: the size and digests of a package that was
/// changed (signed) after it was written, read back once for its metadata.
final class DigestSink: PackageSink {
    private let digests: [StreamingDigest]
    private(set) var byteCount: Int64 = 0

    init(_ algorithms: [DigestAlgorithm]) throws(PackagingError) {
        do {
            digests = try algorithms.map { algorithm throws(DigestError) in try StreamingDigest(algorithm) }
        } catch {
            throw .archive(error.description)
        }
    }

    func write(_ bytes: UnsafeRawBufferPointer) throws {
        if Task.isCancelled { throw PackagingError.cancelled }
        byteCount += Int64(bytes.count)
        for digest in digests { digest.update(bytes) }
    }

    /// The hex digests, in the order they were requested.
    func finish() -> [String] { digests.map { Digests.hexString($0.finalize()) } }
}
