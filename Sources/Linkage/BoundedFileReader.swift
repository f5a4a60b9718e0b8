import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

/// Identity of a file on disk; the loader treats two paths to the same inode as one object.
struct FileID: Hashable, Sendable {
    let device: UInt64
    let inode: UInt64
}

/// A read-only file read with `pread` at explicit offsets. Every read is checked against the
/// size taken when the file was opened, so a bad offset in a header becomes an `ELFError`, never
/// an out-of-bounds access or an endless read.
final class BoundedFileReader {
    let path: String
    let size: UInt64
    let id: FileID
    private let fd: Int32

    /// Opens `path` without blocking (a FIFO planted in a search path must not hang the check)
    /// and refuses anything that is not a regular file.
    init(path: String) throws(ELFError) {
        self.path = path
        let fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK)
        guard fd >= 0 else {
            throw ELFError(path: path, problem: .unreadable(String(cString: strerror(errno))))
        }
        var info = stat()
        guard fstat(fd, &info) == 0 else {
            let reason = String(cString: strerror(errno))
            close(fd)
            throw ELFError(path: path, problem: .unreadable(reason))
        }
        guard (info.st_mode & S_IFMT) == S_IFREG else {
            close(fd)
            throw ELFError(path: path, problem: .notRegularFile)
        }
        self.fd = fd
        self.size = UInt64(info.st_size)
        self.id = FileID(device: UInt64(info.st_dev), inode: UInt64(info.st_ino))
    }

    deinit { close(fd) }

    /// Exactly `count` bytes at `offset`, or an error naming `what` when the file is too short.
    func read(offset: UInt64, count: Int, what: String = "header") throws(ELFError) -> [UInt8] {
        let (end, overflow) = offset.addingReportingOverflow(UInt64(count))
        guard count >= 0, !overflow, end <= size else {
            throw ELFError(path: path, problem: .truncated(what: what, needed: overflow ? .max : end, size: size))
        }
        if count == 0 { return [] }
        var buffer = [UInt8](repeating: 0, count: count)
        var done = 0
        var failure: Int32 = 0
        buffer.withUnsafeMutableBytes { raw in
            while done < count {
                let got = pread(fd, raw.baseAddress! + done, count - done, off_t(offset) + off_t(done))
                if got > 0 { done += got; continue }
                if got < 0 && errno == EINTR { continue }
                failure = got < 0 ? errno : 0
                break
            }
        }
        guard done == count else {
            if failure != 0 {
                throw ELFError(path: path, problem: .unreadable(String(cString: strerror(failure))))
            }
            // The file shrank after it was opened.
            throw ELFError(path: path, problem: .truncated(what: what, needed: end, size: offset + UInt64(done)))
        }
        return buffer
    }
}
