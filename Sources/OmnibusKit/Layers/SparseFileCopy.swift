import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Copies a regular file's bytes without filling its holes: only the ranges `SEEK_DATA` reports
/// are read and written, and the length is set with `ftruncate`. A 5 GB sparse file (a
/// preallocated database, a disk image) stays a few blocks on disk when merged into the install
/// dir, as it was in the staging root. File systems without `SEEK_DATA` report the whole file
/// as data, which is a plain copy.
enum SparseFileCopy {
    // Linux's values; Glibc's module leaves them out (they need _GNU_SOURCE).
    private static let seekData: Int32 = 3
    private static let seekHole: Int32 = 4

    struct Failure: Error, CustomStringConvertible {
        let description: String
    }

    static func copy(_ source: String, to destination: String, mode: mode_t) throws(Failure) {
        let input = open(source, O_RDONLY | O_CLOEXEC)
        guard input >= 0 else { throw Failure(description: "cannot open \(source): \(String(cString: strerror(errno)))") }
        defer { close(input) }
        let output = open(destination, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, mode)
        guard output >= 0 else { throw Failure(description: "cannot create \(destination): \(String(cString: strerror(errno)))") }
        defer { close(output) }
        var info = stat()
        guard fstat(input, &info) == 0 else { throw Failure(description: "cannot stat \(source)") }
        let size = off_t(info.st_size)
        var buffer = [UInt8](repeating: 0, count: 1 << 20)
        var offset: off_t = 0
        while offset < size {
            let dataStart = lseek(input, offset, seekData)
            if dataStart < 0 { break }
            let holeStart = Swift.max(lseek(input, dataStart, seekHole), dataStart)
            let dataEnd = holeStart > dataStart ? Swift.min(holeStart, size) : size
            var position = dataStart
            while position < dataEnd {
                let wanted = Int(Swift.min(off_t(buffer.count), dataEnd - position))
                let count = buffer.withUnsafeMutableBytes { pread(input, $0.baseAddress, wanted, position) }
                guard count > 0 else { throw Failure(description: "cannot read \(source): \(String(cString: strerror(errno)))") }
                var written = 0
                while written < count {
                    let result = buffer.withUnsafeBytes { pwrite(output, $0.baseAddress! + written, count - written, position + off_t(written)) }
                    guard result > 0 else { throw Failure(description: "cannot write \(destination): \(String(cString: strerror(errno)))") }
                    written += result
                }
                position += off_t(count)
            }
            offset = dataEnd
        }
        guard ftruncate(output, size) == 0 else { throw Failure(description: "cannot size \(destination): \(String(cString: strerror(errno)))") }
        fchmod(output, mode)
    }
}
