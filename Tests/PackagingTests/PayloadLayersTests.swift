import Archive
import Foundation
import Scratch
import Testing
@testable import Packaging

/// Packages written layer by layer: a run that copies unchanged layers from the
/// `PayloadSegmentStore` gives the bytes of a run that compresses everything, and a file that
/// changed on disk is never served from the store.
@Suite struct PayloadLayersTests {
    static let algorithms: [ArchiveCompression.Algorithm] = [.gzip, .xz]

    /// Three layers over the fixture (the library, the program with a large file, the docs with
    /// a hard link); the config, the long path and the empty directory are in no layer.
    static func layers(_ fixture: Fixture) -> PayloadLayers {
        func files(_ paths: [String]) -> [String: String?] {
            Dictionary(uniqueKeysWithValues: paths.map { (fixture.installDir + "/" + $0, nil) })
        }
        return PayloadLayers([
            .init(name: "a-lib", files: files(["embedded", "embedded/lib", "embedded/lib/libdemo.so.1.0.0", "embedded/lib/libdemo.so.1"])),
            .init(name: "b-bin", files: files(["bin", "bin/\(fixture.name)", "share", "share/large.bin"])),
            .init(name: "c-doc", files: files(["share/doc", "share/doc/README", "share/doc/README.hardlink",
                                               "share/doc/notes with spaces.txt"])),
        ])
    }

    static func packagers(_ algorithm: ArchiveCompression.Algorithm) -> [any Packager] {
        let compression = BlockCompressionTests.compression(algorithm, threads: 0)
        return [DebPackager(compression: compression), RPMPackager(compression: compression), TarPackager(compression: compression)]
    }

    /// deb, rpm and tarball from one pass; returns them and the layers copied from the store.
    static func write(_ fixture: Fixture, _ algorithm: ArchiveCompression.Algorithm, output: String,
                      store: PayloadSegmentStore?) throws -> (packages: [BuiltPackage], reused: [String]) {
        let info = fixture.info()
        let contents = try fixture.contents(info)
        let packagers = packagers(algorithm)
        let payloads = try PackageWriter.payloads(for: packagers, contents: contents, info: info, outputDirectory: output,
                                                  layers: layers(fixture), store: store)
        let built = try packagers.map { try PackageWriter.stage($0, contents: contents, info: info, outputDirectory: output,
                                                                payloads: payloads).commit() }
        return (built, payloads.payloads.reusedLayers)
    }

    static func store(_ fixture: Fixture) -> PayloadSegmentStore {
        PayloadSegmentStore(directory: fixture.base + "/cache/payload-segments", toolIdentity: "test", owner: "test")
    }

    static func sample(_ seed: Int) -> Data {
        Data(BlockCompressionTests.sample((3 << 20) + seed * 4099).map { $0 ^ UInt8(truncatingIfNeeded: seed) })
    }

    @Test(arguments: algorithms)
    func aChangedLayerIsCompressedAgainAndTheRestCopiedToTheColdBytes(algorithm: ArchiveCompression.Algorithm) async throws {
        let fixture = try await Fixture.make()
        defer { fixture.remove() }
        let large = fixture.root + "/share/large.bin"
        try Self.sample(1).write(to: URL(fileURLWithPath: large))
        let store = Self.store(fixture)

        let cold = try Self.write(fixture, algorithm, output: fixture.base + "/cold", store: nil)
        let first = try Self.write(fixture, algorithm, output: fixture.base + "/first", store: store)
        #expect(first.reused.isEmpty)
        #expect(first.packages.map(\.metadata.sha256) == cold.packages.map(\.metadata.sha256), "a store changed the bytes")
        let unchanged = try Self.write(fixture, algorithm, output: fixture.base + "/unchanged", store: store)
        #expect(unchanged.reused == ["a-lib", "b-bin", "c-doc"])
        #expect(unchanged.packages.map(\.metadata.sha256) == cold.packages.map(\.metadata.sha256))

        // The software of layer b is rebuilt: new bytes, new inode.
        unlink(large)
        try Self.sample(2).write(to: URL(fileURLWithPath: large))
        let coldAfter = try Self.write(fixture, algorithm, output: fixture.base + "/cold-after", store: nil)
        let warm = try Self.write(fixture, algorithm, output: fixture.base + "/warm", store: store)
        #expect(warm.reused == ["a-lib", "c-doc"])
        #expect(warm.packages.map(\.metadata.sha256) == coldAfter.packages.map(\.metadata.sha256),
                "reused layers differ from a cold packaging")
        #expect(coldAfter.packages[0].metadata.sha256 != cold.packages[0].metadata.sha256)

        try await Self.checkWithTheTools(warm.packages, fixture: fixture, algorithm: algorithm)
    }

    /// dpkg-deb lists and unpacks the deb, rpm installs and verifies the rpm, the compressor
    /// tests the tarball (the deb's data tar), and the unpacked large file is the one on disk.
    static func checkWithTheTools(_ packages: [BuiltPackage], fixture: Fixture, algorithm: ArchiveCompression.Algorithm) async throws {
        let (deb, rpm, tarball) = (packages[0].path, packages[1].path, packages[2].path)
        let listing = try await Command.run("dpkg-deb", ["-c", deb])
        #expect(listing.succeeded && listing.text.contains("./opt/\(fixture.name)/share/doc/README"), "\(listing.error)")
        let unpacked = fixture.base + "/dpkg-x-" + UUID().uuidString
        let extract = try await Command.run("dpkg-deb", ["-x", deb, unpacked])
        #expect(extract.succeeded, "\(extract.error)")
        #expect(FileManager.default.contentsEqual(atPath: unpacked + fixture.installDir + "/share/large.bin",
                                                  andPath: fixture.root + "/share/large.bin"))
        let test = try await Command.run(BlockCompressionTests.tool[algorithm]!, ["-t", tarball])
        #expect(test.succeeded, "\(test.error)")
        let root = fixture.base + "/rpm-root-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: root, withIntermediateDirectories: true)
        let install = try await Command.run("rpm", ["-i", "--root", root, "--nodeps", "--noscripts", rpm])
        #expect(install.succeeded, "\(install.text) \(install.error)")
        let verify = try await Command.run("rpm", ["--root", root, "-V", "--nodeps", "--noscripts", fixture.name])
        #expect(verify.succeeded && verify.text.isEmpty, "rpm -V: \(verify.text) \(verify.error)")
        #expect(FileManager.default.contentsEqual(atPath: root + fixture.installDir + "/share/large.bin",
                                                  andPath: fixture.root + "/share/large.bin"))
    }

    @Test func aFileChangedInPlaceIsNotServedFromTheStore() async throws {
        let fixture = try await Fixture.make()
        defer { fixture.remove() }
        try Self.sample(1).write(to: URL(fileURLWithPath: fixture.root + "/share/large.bin"))
        let store = Self.store(fixture)
        _ = try Self.write(fixture, .gzip, output: fixture.base + "/first", store: store)
        // Same size, same mtime, other bytes: only the ctime (and the bytes) tell.
        let readme = fixture.root + "/share/doc/README"
        let attributes = try FileManager.default.attributesOfItem(atPath: readme)
        let text = try String(contentsOfFile: readme, encoding: .utf8)
        try Data(text.uppercased().utf8).write(to: URL(fileURLWithPath: readme))
        try FileManager.default.setAttributes([.modificationDate: attributes[.modificationDate]!], ofItemAtPath: readme)

        let cold = try Self.write(fixture, .gzip, output: fixture.base + "/cold", store: nil)
        let warm = try Self.write(fixture, .gzip, output: fixture.base + "/warm", store: store)
        #expect(warm.reused == ["a-lib", "b-bin"])
        #expect(warm.packages.map(\.metadata.sha256) == cold.packages.map(\.metadata.sha256))
        let unpacked = fixture.base + "/x"
        #expect(try await Command.run("dpkg-deb", ["-x", warm.packages[0].path, unpacked]).succeeded)
        #expect(try String(contentsOfFile: unpacked + fixture.installDir + "/share/doc/README", encoding: .utf8) == text.uppercased())
    }

    /// The same files in another directory (another work dir's install tree): nothing matches
    /// the recorded stats, but the bytes do, so every layer is reused.
    @Test func anotherDirectoryWithTheSameFilesReusesEveryLayer() async throws {
        let fixture = try await Fixture.make()
        defer { fixture.remove() }
        try Self.sample(1).write(to: URL(fileURLWithPath: fixture.root + "/share/large.bin"))
        let store = Self.store(fixture)
        let first = try Self.write(fixture, .xz, output: fixture.base + "/first", store: store)
        let copy = Fixture(base: fixture.base + "/elsewhere", root: fixture.base + "/elsewhere/root", name: fixture.name)
        try FileManager.default.createDirectory(atPath: copy.base, withIntermediateDirectories: true)
        #expect(try await Command.run("cp", ["-a", fixture.root, copy.root]).succeeded)
        let warm = try Self.write(copy, .xz, output: copy.base + "/warm", store: store)
        #expect(warm.reused == ["a-lib", "b-bin", "c-doc"])
        #expect(warm.packages.map(\.metadata.sha256) == first.packages.map(\.metadata.sha256))
    }

    /// A damaged data file is noticed by its digest, removed, and the layer compressed again.
    @Test func aDamagedEntryIsRemovedAndCompressedAgain() async throws {
        let fixture = try await Fixture.make()
        defer { fixture.remove() }
        let store = Self.store(fixture)
        let first = try Self.write(fixture, .gzip, output: fixture.base + "/first", store: store)
        let names = try FileManager.default.contentsOfDirectory(atPath: store.directory).filter { $0.hasSuffix(".tar-gzip-1") || $0.hasSuffix(".cpio-gzip-1") }
        #expect(names.count == 6, "a tar and a cpio stream per layer: \(names)")
        for name in names {
            let handle = try #require(FileHandle(forUpdatingAtPath: store.directory + "/" + name))
            try handle.seek(toOffset: 12)
            handle.write(Data([0xff]))
            try handle.close()
        }
        let warm = try Self.write(fixture, .gzip, output: fixture.base + "/warm", store: store)
        #expect(warm.reused.isEmpty)
        #expect(warm.packages.map(\.metadata.sha256) == first.packages.map(\.metadata.sha256))
        let again = try Self.write(fixture, .gzip, output: fixture.base + "/again", store: store)
        #expect(again.reused == ["a-lib", "b-bin", "c-doc"])
    }

    /// rpm alone: its cpio payload is kept per layer like the data tar, and rpm reads it.
    @Test func anRPMAloneKeepsItsLayers() async throws {
        let fixture = try await Fixture.make()
        defer { fixture.remove() }
        let large = fixture.root + "/share/large.bin"
        try Self.sample(1).write(to: URL(fileURLWithPath: large))
        let store = Self.store(fixture)
        let info = fixture.info()
        let rpm = RPMPackager(compression: BlockCompressionTests.compression(.xz, threads: 0))
        func write(_ output: String, _ store: PayloadSegmentStore?) throws -> (BuiltPackage, [String]) {
            let contents = try fixture.contents(info)
            let payloads = try PackageWriter.payloads(for: [rpm], contents: contents, info: info, outputDirectory: output,
                                                      layers: Self.layers(fixture), store: store)
            return (try PackageWriter.stage(rpm, contents: contents, info: info, outputDirectory: output, payloads: payloads).commit(),
                    payloads.payloads.reusedLayers)
        }
        _ = try write(fixture.base + "/first", store)
        unlink(large)
        try Self.sample(3).write(to: URL(fileURLWithPath: large))
        let cold = try write(fixture.base + "/cold", nil)
        let warm = try write(fixture.base + "/warm", store)
        #expect(warm.1 == ["a-lib", "c-doc"])
        #expect(warm.0.metadata.sha256 == cold.0.metadata.sha256)
        let checked = try await Command.run("rpm", ["-K", "--nosignature", warm.0.path])
        #expect(checked.succeeded, "\(checked.text) \(checked.error)")
        let root = fixture.base + "/rpm-root"
        try FileManager.default.createDirectory(atPath: root, withIntermediateDirectories: true)
        let install = try await Command.run("rpm", ["-i", "--root", root, "--nodeps", "--noscripts", warm.0.path])
        #expect(install.succeeded, "\(install.text) \(install.error)")
        let verify = try await Command.run("rpm", ["--root", root, "-V", "--nodeps", "--noscripts", fixture.name])
        #expect(verify.succeeded && verify.text.isEmpty, "rpm -V: \(verify.text) \(verify.error)")
    }

    /// A temporary left by a killed run is removed by the next run that keeps a layer; the
    /// entries themselves stay.
    @Test func temporariesOfKilledRunsAreSwept() async throws {
        let fixture = try await Fixture.make()
        defer { fixture.remove() }
        let store = Self.store(fixture)
        try FileManager.default.createDirectory(atPath: store.directory, withIntermediateDirectories: true)
        let gone = try Process.run(URL(fileURLWithPath: "/bin/true"), arguments: [])
        gone.waitUntilExit()
        let stale = store.directory + "/" + OwnedName.stamp(".partial-", pid: gone.processIdentifier) + "abc"
        #expect(FileManager.default.createFile(atPath: stale, contents: Data("half".utf8)))
        _ = try Self.write(fixture, .gzip, output: fixture.base + "/first", store: store)
        #expect(!FileManager.default.fileExists(atPath: stale))
        #expect(store.entries(of: "test").count == 3)
    }

    /// zstd is one frame: nothing is cut or kept, and the package is what it is without layers.
    @Test func zstdIsNeitherCutNorKept() async throws {
        let fixture = try await Fixture.make()
        defer { fixture.remove() }
        let store = Self.store(fixture)
        let layered = try Self.write(fixture, .zstd, output: fixture.base + "/layered", store: store)
        #expect(layered.reused.isEmpty)
        #expect(!FileManager.default.fileExists(atPath: store.directory))
        let again = try Self.write(fixture, .zstd, output: fixture.base + "/again", store: store)
        #expect(again.packages.map(\.metadata.sha256) == layered.packages.map(\.metadata.sha256))
        let unpacked = fixture.base + "/x"
        #expect(try await Command.run("dpkg-deb", ["-x", layered.packages[0].path, unpacked]).succeeded)
    }
}
