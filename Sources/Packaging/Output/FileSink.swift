import Digest
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

// Outside the class, where `write` is not shadowed by `PackageSink.write(_:)`.
private func posixWrite(_ descriptor: Int32, _ bytes: UnsafeRawPointer, _ count: Int) -> Int {
    write(descriptor, bytes, count)
}

/// A `PackageSink` over a file descriptor, buffered, that also counts the bytes and hashes them
/// (SHA-256 and SHA-512 for the metadata file) so the package is never read back.
package final class FileSink: PackageSink {
    package let path: String
    private let descriptor: Int32
    private var buffer: [UInt8] = []
    private let digests: [StreamingDigest]
    private let ownsDescriptor: Bool
    package private(set) var byteCount: Int64 = 0

    /// Creates (or truncates) `path`, mode 0644 before the umask.
    package init(creating path: String, digests algorithms: [DigestAlgorithm] = []) throws(PackagingError) {
        let descriptor = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
        guard descriptor >= 0 else { throw PackagingError.output(path: path, reason: String(cString: strerror(errno))) }
        do {
            self.digests = try algorithms.map { algorithm throws(DigestError) in try StreamingDigest(algorithm) }
        } catch {
            close(descriptor)
            throw .archive(error.description)
        }
        self.path = path
        self.descriptor = descriptor
        self.ownsDescriptor = true
        buffer.reserveCapacity(Self.capacity)
    }

    deinit { if ownsDescriptor { close(descriptor) } }

    private static let capacity = 1 << 20

    package func write(_ bytes: UnsafeRawBufferPointer) throws {
        // Every byte of every package passes here: the one place packaging notices Ctrl-C.
        if Task.isCancelled { throw PackagingError.cancelled }
        byteCount += Int64(bytes.count)
        for digest in digests { digest.update(bytes) }
        if buffer.count + bytes.count > Self.capacity { try flush() }
        if bytes.count >= Self.capacity {
            try writeAll(bytes)
        } else {
            buffer.append(contentsOf: bytes)
        }
    }

    /// Writes buffered bytes to the file.
    package func flush() throws {
        guard !buffer.isEmpty else { return }
        try buffer.withUnsafeBytes { try writeAll($0) }
        buffer.removeAll(keepingCapacity: true)
    }

    /// Flushes, syncs to disk and returns the hex digests in the order they were requested.
    package func finish() throws -> [String] {
        try flush()
        guard fsync(descriptor) == 0 else { throw PackagingError.output(path: path, reason: String(cString: strerror(errno))) }
        return digests.map { Digests.hexString($0.finalize()) }
    }

    private func writeAll(_ bytes: UnsafeRawBufferPointer) throws(PackagingError) {
        var offset = 0
        while offset < bytes.count {
            let written = posixWrite(descriptor, bytes.baseAddress! + offset, bytes.count - offset)
            if written < 0 {
                if errno == EINTR { continue }
                throw .output(path: path, reason: String(cString: strerror(errno)))
            }
            offset += written
        }
    }
}
