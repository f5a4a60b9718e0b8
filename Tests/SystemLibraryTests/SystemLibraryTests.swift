import Archive
import Digest
import Foundation
import Testing

/// The libcrypto and libarchive links work, checked against the system's own tools.
@Suite struct SystemLibraryTests {
    func run(_ arguments: [String], in directory: String? = nil) throws -> String {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = arguments
        if let directory { process.currentDirectoryURL = URL(fileURLWithPath: directory) }
        let pipe = Pipe()
        process.standardOutput = pipe
        try process.run()
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        #expect(process.terminationStatus == 0)
        return String(decoding: data, as: UTF8.self)
    }

    @Test func sha256AndSha512MatchCoreutils() throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("digest-\(UUID().uuidString)").path
        // Larger than one read chunk, so the streaming path is exercised.
        let bytes = (0..<(3 << 20)).map { UInt8(truncatingIfNeeded: $0 &* 2654435761 >> 7) }
        try Data(bytes).write(to: URL(fileURLWithPath: path))
        let ours = try Digests.hex([.sha256, .sha512, .md5], ofFile: path)
        #expect(ours[.sha256] == String(try run(["sha256sum", path]).prefix(64)))
        #expect(ours[.sha512] == String(try run(["sha512sum", path]).prefix(128)))
        #expect(ours[.md5] == String(try run(["md5sum", path]).prefix(32)))
        #expect(try Digests.hex(.sha256, of: Array("abc".utf8))
                == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
    }

    @Test func listsTarballEntriesAsTarDoes() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("tar-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: dir + "/pkg/sub", withIntermediateDirectories: true)
        try "hello\n".write(toFile: dir + "/pkg/a.txt", atomically: true, encoding: .utf8)
        try "x".write(toFile: dir + "/pkg/sub/b.txt", atomically: true, encoding: .utf8)
        try FileManager.default.createSymbolicLink(atPath: dir + "/pkg/link", withDestinationPath: "a.txt")
        for (flag, ext) in [("z", "tar.gz"), ("J", "tar.xz"), ("j", "tar.bz2")] {
            _ = try run(["tar", "-c\(flag)f", "pkg.\(ext)", "pkg"], in: dir)
            let entries = try ArchiveReader.listEntries(path: "\(dir)/pkg.\(ext)")
            let tarNames = try run(["tar", "-tf", "pkg.\(ext)"], in: dir).split(separator: "\n").map(String.init)
            #expect(entries.map(\.path) == tarNames)
            #expect(entries.first { $0.path == "pkg/link" }?.kind == .symlink(target: "a.txt"))
            #expect(entries.first { $0.path == "pkg/a.txt" }?.size == 6)
        }
    }

    @Test func unreadableArchiveGivesAnError() throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("bad-\(UUID().uuidString).tar.gz").path
        try Data("not an archive at all".utf8).write(to: URL(fileURLWithPath: path))
        #expect(throws: ArchiveError.self) { try ArchiveReader.listEntries(path: path) }
    }
}
