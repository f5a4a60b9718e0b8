import Archive
import Foundation
import Testing
@testable import Packaging

@Suite struct TarTests {
    @Test(arguments: ArchiveCompression.Algorithm.allCases)
    func gnuTarListsTheInstallDirRootOwned(algorithm: ArchiveCompression.Algorithm) async throws {
        let fixture = try await Fixture.make()
        defer { fixture.remove() }
        let built = try fixture.build(TarPackager(compression: ArchiveCompression(algorithm)), info: fixture.info())
        let platform = PlatformInfo.current().tag
        #expect(URL(fileURLWithPath: built.path).lastPathComponent
                == "\(fixture.name)-1.4.2-1.\(platform).\(PackageArchitecture.host.rpm).tar.\(algorithm.fileExtension)")
        let flag = ["gzip": "-z", "xz": "-J", "zstd": "--zstd"][algorithm.rawValue]!
        let listing = try await Command.run("tar", [flag, "-tvf", built.path])
        #expect(listing.succeeded, "\(listing.error)")
        let lines = listing.text.split(separator: "\n").map(String.init)
        // The deb's data members: `./`, `./opt/`, then the install dir, all root's.
        #expect(lines.prefix(3).map { $0.split(separator: " ").last.map(String.init) } == ["./", "./opt/", "./opt/\(fixture.name)/"])
        #expect(lines.allSatisfy { $0.contains(" root/root ") && $0.contains(" ./opt/\(fixture.name)/") || $0.hasSuffix(" ./") || $0.hasSuffix(" ./opt/") })
        #expect(lines.contains { $0.hasPrefix("hrw-r--r--") && $0.hasSuffix("share/doc/README.hardlink link to ./opt/\(fixture.name)/share/doc/README") })
        #expect(!lines.contains { $0.contains("/man/") })
        // Unpacked under a root of our own, the program and its library still work; its rpath
        // names the real install dir, so the loader is pointed at the unpacked one instead.
        let root = fixture.base + "/unpacked"
        try FileManager.default.createDirectory(atPath: root, withIntermediateDirectories: true)
        #expect(try await Command.run("tar", [flag, "-xf", built.path, "-C", root]).succeeded)
        let run = try await Command.run(root + fixture.installDir + "/bin/\(fixture.name)", ["tar"],
                                  environment: ["LD_LIBRARY_PATH": root + fixture.installDir + "/embedded/lib"])
        #expect(run.text == "hello, tar (3)\n")
    }

    @Test func gzipHeaderCarriesNoTimeAndNoName() async throws {
        let fixture = try await Fixture.make()
        defer { fixture.remove() }
        let built = try fixture.build(TarPackager(compression: ArchiveCompression(.gzip, level: 6)), info: fixture.info())
        let bytes = try Data(contentsOf: URL(fileURLWithPath: built.path))
        #expect(Array(bytes.prefix(10)) == [0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 0, 3])
        #expect(try await Command.run("gzip", ["-t", built.path]).succeeded)
    }
}
