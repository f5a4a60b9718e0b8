import Archive
import Foundation
import Synchronization
import Testing

/// Many extractions starting at once (parallel builds unpack their sources together) must leave
/// the process's umask as it was: libarchive reads it by setting it to 0 and back, when a disk
/// writer is made and again for every member it writes.
@Suite struct ExtractorUmaskTests {
    /// The process's umask as the kernel reports it, read without changing it.
    static func processUmask() throws -> mode_t {
        let status = try String(contentsOfFile: "/proc/self/status", encoding: .utf8)
        let line = try #require(status.split(separator: "\n").first { $0.hasPrefix("Umask:") })
        return try #require(mode_t(line.dropFirst("Umask:".count).trimmingCharacters(in: .whitespaces), radix: 8))
    }

    /// Sources of a parallel build: archives of hundreds of members unpacked at the same time.
    /// With only the writer's creation serialized, two extractions' per-member dances
    /// interleave and the process kept umask 0: every file omnibus or a build step created
    /// afterwards was world-writable (Python's __pycache__ directories, the version manifest).
    @Test func concurrentExtractionsOfManyMembersKeepTheUmask() async throws {
        let base = FileManager.default.temporaryDirectory.path + "/umask-members-\(UUID().uuidString.prefix(8))"
        defer { try? FileManager.default.removeItem(atPath: base) }
        try FileManager.default.createDirectory(atPath: base + "/tree", withIntermediateDirectories: true)
        for index in 0..<400 {
            try Data("member \(index)\n".utf8).write(to: URL(fileURLWithPath: base + "/tree/f\(index)"))
        }
        let archive = base + "/tree.tar"
        let tar = Process()
        tar.executableURL = URL(fileURLWithPath: "/bin/tar")
        tar.arguments = ["-cf", archive, "-C", base, "tree"]
        try tar.run()
        tar.waitUntilExit()
        try #require(tar.terminationStatus == 0)
        let expected = try Self.processUmask()
        let failures = Mutex<[String]>([])
        for round in 0..<8 {
            DispatchQueue.concurrentPerform(iterations: 6) { worker in
                let destination = base + "/out-\(round)-\(worker)"
                do {
                    let extractor = try ArchiveExtractor(path: archive)
                    try extractor.extract { info in ExtractionPlacement(path: destination + "/" + info.path) }
                } catch {
                    failures.withLock { $0.append("\(error)") }
                }
            }
        }
        #expect(failures.withLock { $0 }.isEmpty)
        let after = try Self.processUmask()
        #expect(after == expected, "the umask is \(String(after, radix: 8)) after the extractions, was \(String(expected, radix: 8))")
        umask(expected)
    }

    @Test func concurrentExtractorsKeepTheUmask() throws {
        let bytes = Mutex<[UInt8]>([])
        let writer = try ArchiveWriter(format: .gnutar, compression: ArchiveCompression(.gzip)) { chunk in
            bytes.withLock { $0.append(contentsOf: chunk) }
        }
        try writer.finish()
        let archive = FileManager.default.temporaryDirectory.path + "/umask-\(UUID().uuidString).tar.gz"
        try Data(bytes.withLock { $0 }).write(to: URL(fileURLWithPath: archive))
        defer { unlink(archive) }
        // Read from /proc: a thread that made an extractor has a umask of its own.
        let expected = try Self.processUmask()
        DispatchQueue.concurrentPerform(iterations: 4000) { _ in
            _ = try? ArchiveExtractor(path: archive)
        }
        let after = try Self.processUmask()
        #expect(after == expected, "the umask is \(String(after, radix: 8)) after the extractors, was \(String(expected, radix: 8))")
    }
}
