#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

// Outside the class, where `read` is not shadowed by `FileChunks.read`.
private func posixRead(_ descriptor: Int32, _ buffer: UnsafeMutableRawPointer?, _ count: Int) -> Int {
    read(descriptor, buffer, count)
}

/// Reads files in fixed-size chunks through one reused buffer, so packaging memory does not grow
/// with file sizes, and checks that each file still has the size recorded when it was scanned.
final class FileChunks {
    private let buffer: UnsafeMutableRawBufferPointer

    init(chunkSize: Int = 1 << 20) {
        buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: chunkSize, alignment: 16)
    }

    deinit { buffer.deallocate() }

    /// Calls `body` with consecutive chunks of the file at `path`, `expectedSize` bytes in all.
    func read(_ path: String, expectedSize: Int64, _ body: (UnsafeRawBufferPointer) throws -> Void) throws {
        let descriptor = open(path, O_RDONLY | O_NOFOLLOW | O_CLOEXEC)
        guard descriptor >= 0 else { throw PackagingError.unreadable(path: path, reason: String(cString: strerror(errno))) }
        defer { close(descriptor) }
        var total: Int64 = 0
        while true {
            let count = posixRead(descriptor, buffer.baseAddress, buffer.count)
            if count < 0 {
                if errno == EINTR { continue }
                throw PackagingError.unreadable(path: path, reason: String(cString: strerror(errno)))
            }
            if count == 0 { break }
            total += Int64(count)
            // The header already announced the size: more bytes cannot be written faithfully.
            guard total <= expectedSize else { throw PackagingError.changedWhilePackaging(path: path) }
            try body(UnsafeRawBufferPointer(rebasing: buffer[..<count]))
        }
        guard total == expectedSize else { throw PackagingError.changedWhilePackaging(path: path) }
    }
}
