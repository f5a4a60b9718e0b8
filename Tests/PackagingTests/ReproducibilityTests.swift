import Archive
import Foundation
import Testing
@testable import Packaging

@Suite struct ReproducibilityTests {
    static let packagers: [any Packager] = ArchiveCompression.Algorithm.allCases.flatMap { algorithm -> [any Packager] in
        let compression = ArchiveCompression(algorithm)
        return [DebPackager(compression: compression), RPMPackager(compression: compression), TarPackager(compression: compression),
                ShPackager(compression: compression)]
    }

    /// Two builds of the same tree, copied to different directories, touched at different times,
    /// written to different output directories at different moments: identical bytes.
    @Test func everyFormatIsByteIdenticalAcrossDirectoriesAndTimes() async throws {
        let first = try await Fixture.make()
        defer { first.remove() }
        let secondBase = FileManager.default.temporaryDirectory.path + "/elsewhere-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: secondBase, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: secondBase) }
        let secondRoot = secondBase + "/a/much/deeper/copy"
        try FileManager.default.createDirectory(atPath: secondBase + "/a/much/deeper", withIntermediateDirectories: true)
        // cp -a keeps hard links; the times are then moved to a later moment.
        #expect(try await Command.run("cp", ["-a", first.root, secondRoot]).succeeded)
        #expect(try await Command.shell("find \(Command.quote(secondRoot)) -exec touch -h -d '2030-01-01 12:00:00' {} +").succeeded)
        let info = first.info()
        for packager in Self.packagers {
            let a = try PackageWriter.write(packager, contents: try first.contents(info), info: info, outputDirectory: first.base + "/out1")
            try await Task.sleep(for: .milliseconds(10))
            let contents = try PackageContents.scan(root: secondRoot, info: info, exclude: Fixture.exclude)
            let b = try PackageWriter.write(packager, contents: contents, info: info, outputDirectory: secondBase + "/out2")
            #expect(a.metadata.sha256 == b.metadata.sha256, "\(URL(fileURLWithPath: a.path).lastPathComponent) differs")
            #expect(try Data(contentsOf: URL(fileURLWithPath: a.path)) == (try Data(contentsOf: URL(fileURLWithPath: b.path))))
            #expect(try Data(contentsOf: URL(fileURLWithPath: a.metadataPath)) == (try Data(contentsOf: URL(fileURLWithPath: b.metadataPath))))
        }
    }

    /// The thread count is a speed setting only: xz and zstd payloads come out the same.
    @Test(arguments: [ArchiveCompression.Algorithm.xz, .zstd])
    func threadCountDoesNotChangeTheBytes(algorithm: ArchiveCompression.Algorithm) async throws {
        let fixture = try await Fixture.make()
        defer { fixture.remove() }
        // Enough data for several xz blocks (3 x the 1 MiB dictionary at level 1) and zstd jobs.
        var generator = SplitMix(seed: 42)
        var big = Data(count: 16 << 20)
        big.withUnsafeMutableBytes { raw in
            for index in stride(from: 0, to: raw.count, by: 8) {
                let word = index % 64 == 0 ? generator.next() : UInt64(index % 251) * 0x0101_0101_0101_0101
                raw.storeBytes(of: word, toByteOffset: index, as: UInt64.self)
            }
        }
        try big.write(to: URL(fileURLWithPath: fixture.root + "/share/big.bin"))
        let info = fixture.info()
        let contents = try fixture.contents(info)
        var digests = Set<String>()
        for threads in [1, 2, 3] {
            let packager = TarPackager(compression: ArchiveCompression(algorithm, level: algorithm == .xz ? 1 : 3, threads: threads))
            let built = try PackageWriter.write(packager, contents: contents, info: info, outputDirectory: fixture.base + "/out-\(threads)")
            digests.insert(built.metadata.sha256)
        }
        #expect(digests.count == 1)
    }
}

/// A tiny deterministic generator, so test data is the same on every run.
struct SplitMix {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9e37_79b9_7f4a_7c15
        var z = state
        z = (z ^ (z >> 30)) &* 0xbf58_476d_1ce4_e5b9
        z = (z ^ (z >> 27)) &* 0x94d0_49bb_1331_11eb
        return z ^ (z >> 31)
    }
}
