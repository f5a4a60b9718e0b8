import Archive
import Foundation
import Synchronization
import Testing

/// Many extractions starting at once (parallel builds unpack their sources together) must leave
/// the process's umask as it was: libarchive reads it by setting it to 0 and back.
@Suite struct ExtractorUmaskTests {
    @Test func concurrentExtractorsKeepTheUmask() throws {
        let bytes = Mutex<[UInt8]>([])
        let writer = try ArchiveWriter(format: .gnutar, compression: ArchiveCompression(.gzip)) { chunk in
            bytes.withLock { $0.append(contentsOf: chunk) }
        }
        try writer.finish()
        let archive = FileManager.default.temporaryDirectory.path + "/umask-\(UUID().uuidString).tar.gz"
        try Data(bytes.withLock { $0 }).write(to: URL(fileURLWithPath: archive))
        defer { unlink(archive) }
        let expected = umask(0o022)
        umask(expected)
        DispatchQueue.concurrentPerform(iterations: 4000) { _ in
            _ = try? ArchiveExtractor(path: archive)
        }
        let after = umask(expected)
        #expect(after == expected, "the umask is \(String(after, radix: 8)) after the extractors, was \(String(expected, radix: 8))")
    }
}
