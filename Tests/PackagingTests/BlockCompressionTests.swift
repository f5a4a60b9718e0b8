import Archive
import Digest
import Foundation
import Testing
@testable import Packaging

/// Parallel block compression gives the same bytes for every thread count, the real
/// decompressors read the result, and one compression serves the deb's data tar and the tarball.
@Suite struct BlockCompressionTests {
    /// Deterministic input that compresses somewhat: text lines mixed with pseudo-random bytes.
    static func sample(_ size: Int) -> [UInt8] {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(size)
        var state: UInt64 = 0x9E37_79B9_7F4A_7C15
        var line = 0
        while bytes.count < size {
            bytes += Array("line \(line) of the sample, with some repeated words words words\n".utf8)
            for _ in 0..<48 {
                state = state &* 6364136223846793005 &+ 1442695040888963407
                bytes.append(UInt8(truncatingIfNeeded: state >> 33) & 0x3f)
            }
            line += 1
        }
        return Array(bytes.prefix(size))
    }

    /// Levels whose blocks are small (gzip 1 MiB, xz level 0: 1 MiB, zstd 4 MiB), so a few MiB
    /// of input make several blocks.
    static func compression(_ algorithm: ArchiveCompression.Algorithm, threads: Int) -> ArchiveCompression {
        ArchiveCompression(algorithm, level: algorithm == .xz ? 0 : 1, threads: threads)
    }

    static let tool: [ArchiveCompression.Algorithm: String] = [.gzip: "gzip", .xz: "xz", .zstd: "zstd"]

    @Test(arguments: ArchiveCompression.Algorithm.allCases)
    func everyThreadCountGivesTheSameBytesThatTheToolReads(algorithm: ArchiveCompression.Algorithm) async throws {
        let blockSize = try BlockCompressor.blockSize(for: Self.compression(algorithm, threads: 1))
        let input = Self.sample(blockSize * 3 + blockSize / 2)
        var outputs: [[UInt8]] = []
        for threads in [1, 2, 8] {
            var output: [UInt8] = []
            let compressor = try BlockCompressor(Self.compression(algorithm, threads: threads)) { output.append(contentsOf: $0) }
            // Uneven writes, so block cuts never follow the caller's chunks.
            var offset = 0
            while offset < input.count {
                let end = min(input.count, offset + 100_003)
                try input[offset..<end].withUnsafeBytes { try compressor.write($0) }
                offset = end
            }
            try compressor.finish()
            #expect(compressor.uncompressedByteCount == Int64(input.count))
            outputs.append(output)
        }
        #expect(outputs[1] == outputs[0], "2 threads differ from 1")
        #expect(outputs[2] == outputs[0], "8 threads differ from 1")

        let directory = FileManager.default.temporaryDirectory.path + "/blocks-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let path = directory + "/sample." + algorithm.fileExtension
        try Data(outputs[0]).write(to: URL(fileURLWithPath: path))
        let tool = Self.tool[algorithm]!
        let test = try await Command.run(tool, ["-t", path])
        #expect(test.succeeded, "\(tool) -t: \(test.error)")
        let decompressed = try await Command.run(tool, ["-dc", path])
        #expect(decompressed.succeeded && Array(decompressed.output) == input, "\(tool) -dc does not give the input back")
        if algorithm == .xz {
            // One stream holding every block, which readers that stop after one stream need.
            let listing = try await Command.run("xz", ["--robot", "--list", path]).text
            let totals = listing.split(separator: "\n").first { $0.hasPrefix("totals") }?.split(separator: "\t") ?? []
            #expect(totals.count > 2 && totals[1] == "1" && Int(totals[2]) == 4, "\(listing)")
        }
    }

    @Test func anEmptyStreamIsOneTheToolsRead() async throws {
        for algorithm in ArchiveCompression.Algorithm.allCases {
            var output: [UInt8] = []
            let compressor = try BlockCompressor(ArchiveCompression(algorithm)) { output.append(contentsOf: $0) }
            try compressor.finish()
            let path = FileManager.default.temporaryDirectory.path + "/empty-\(UUID().uuidString)." + algorithm.fileExtension
            try Data(output).write(to: URL(fileURLWithPath: path))
            defer { unlink(path) }
            let decompressed = try await Command.run(Self.tool[algorithm]!, ["-dc", path])
            #expect(decompressed.succeeded && decompressed.output.isEmpty, "\(algorithm): \(decompressed.error)")
        }
    }

    /// A fixture with a 6 MiB file, so the data spans several blocks.
    static func largeFixture() async throws -> Fixture {
        let fixture = try await Fixture.make()
        try Data(sample(6 << 20)).write(to: URL(fileURLWithPath: fixture.root + "/share/large.bin"))
        return fixture
    }

    @Test(arguments: ArchiveCompression.Algorithm.allCases)
    func packagesAreTheSameForEveryThreadCountAndTheToolsReadThem(algorithm: ArchiveCompression.Algorithm) async throws {
        let fixture = try await Self.largeFixture()
        defer { fixture.remove() }
        let info = fixture.info()
        var digests: [[String]] = []
        var last: [BuiltPackage] = []
        for threads in [1, 2, 8] {
            let compression = Self.compression(algorithm, threads: threads)
            let output = fixture.base + "/out-\(threads)"
            last = [try fixture.build(DebPackager(compression: compression), info: info, output: output),
                    try fixture.build(RPMPackager(compression: compression), info: info, output: output),
                    try fixture.build(TarPackager(compression: compression), info: info, output: output)]
            digests.append(last.map(\.metadata.sha256))
        }
        #expect(digests[1] == digests[0] && digests[2] == digests[0], "\(digests)")
        let deb = try await Command.run("dpkg-deb", ["-c", last[0].path])
        #expect(deb.succeeded && deb.text.contains("./opt/\(fixture.name)/share/large.bin"), "\(deb.error)")
        let unpacked = fixture.base + "/dpkg-x"
        #expect(try await Command.run("dpkg-deb", ["-x", last[0].path, unpacked]).succeeded)
        #expect(FileManager.default.contentsEqual(atPath: unpacked + fixture.installDir + "/share/large.bin",
                                                  andPath: fixture.root + "/share/large.bin"))
        let rpm = try await Command.run("rpm", ["-K", "--nosignature", last[1].path])
        #expect(rpm.succeeded, "\(rpm.text) \(rpm.error)")
        let rpmList = try await Command.run("rpm", ["-qlp", last[1].path])
        #expect(rpmList.succeeded && rpmList.text.contains(fixture.installDir + "/share/large.bin"), "\(rpmList.error)")
        let tar = try await Command.run("tar", ["-tf", last[2].path])
        #expect(tar.succeeded && tar.text.contains("./opt/\(fixture.name)/share/large.bin"), "\(tar.error)")
    }

    /// The tarball is the deb's `data.tar.<ext>` byte for byte, made by one compression.
    @Test(arguments: ArchiveCompression.Algorithm.allCases)
    func theTarballIsTheDebsDataTar(algorithm: ArchiveCompression.Algorithm) async throws {
        let fixture = try await Self.largeFixture()
        defer { fixture.remove() }
        let info = fixture.info()
        let contents = try fixture.contents(info)
        let compression = Self.compression(algorithm, threads: 0)
        let packagers: [any Packager] = [DebPackager(compression: compression), TarPackager(compression: compression),
                                         RPMPackager(compression: compression)]
        let output = fixture.base + "/out"
        let payloads = try PackageWriter.payloads(for: packagers, contents: contents, info: info, outputDirectory: output)
        #expect(payloads.payloads.dataTar.count == 1, "the deb and the tarball each compressed the data")
        let built = try packagers.map { try PackageWriter.stage($0, contents: contents, info: info, outputDirectory: output,
                                                                payloads: payloads).commit() }
        let member = "data.tar." + algorithm.fileExtension
        let data = try await Command.run("ar", ["p", built[0].path, member])
        #expect(data.succeeded, "\(data.error)")
        #expect(data.output == (try Data(contentsOf: URL(fileURLWithPath: built[1].path))), "\(member) is not the tarball")
        // The shared pass gives what each format gives on its own.
        for (packager, package) in zip(packagers, built) {
            let alone = try fixture.build(packager, info: info, output: fixture.base + "/alone")
            #expect(alone.metadata.sha256 == package.metadata.sha256, "\(type(of: packager).name) differs when written alone")
        }
    }
}
