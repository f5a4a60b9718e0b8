import Archive
import Digest
import Foundation
import Scratch
import Testing
@testable import Packaging

@Suite struct PackageWriterTests {
    @Test func writesThePackageAndItsMetadataAndNothingElse() async throws {
        let fixture = try await Fixture.make()
        defer { fixture.remove() }
        let info = fixture.info()
        let output = fixture.base + "/pkg"
        let built = try fixture.build(DebPackager(), info: info, output: output)
        let names = try FileManager.default.contentsOfDirectory(atPath: output).sorted()
        let file = URL(fileURLWithPath: built.path).lastPathComponent
        #expect(names == [file, file + ".metadata.json"])

        let json = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: built.metadataPath))) as? [String: Any])
        #expect(Set(json.keys) == ["arch", "basename", "build_epoch", "format", "iteration", "name", "platform",
                                   "platform_version", "sha256", "sha512", "size", "version", "version_manifest"])
        #expect(json["name"] as? String == fixture.name)
        #expect(json["version"] as? String == "1.4.2")
        #expect(json["iteration"] as? String == "1")
        #expect(json["arch"] as? String == PackageArchitecture.host.debian)
        #expect(json["format"] as? String == "deb")
        #expect(json["basename"] as? String == file)
        #expect(json["build_epoch"] as? Int == 1_700_000_000)
        let platform = PlatformInfo.current()
        #expect(json["platform"] as? String == platform.id && json["platform_version"] as? String == platform.version)
        let attributes = try FileManager.default.attributesOfItem(atPath: built.path)
        #expect(json["size"] as? Int == (attributes[.size] as? Int))
        #expect(json["sha256"] as? String == (try Digests.hex(.sha256, ofFile: built.path)))
        #expect(json["sha512"] as? String == (try Digests.hex(.sha512, ofFile: built.path)))
        let manifest = try #require(json["version_manifest"] as? [String: Any])
        #expect(manifest["manifest_format"] as? Int == 1)
    }

    @Test func aFailedBuildLeavesNothingBehind() async throws {
        let fixture = try await Fixture.make()
        defer { fixture.remove() }
        let info = fixture.info()
        let contents = try fixture.contents(info)
        // The file shrinks after the scan: the package would be wrong, so none is written.
        try Data("short".utf8).write(to: URL(fileURLWithPath: fixture.root + "/share/doc/notes with spaces.txt"))
        let output = fixture.base + "/pkg"
        for packager in [DebPackager(), RPMPackager(), TarPackager()] as [any Packager] {
            #expect(throws: PackagingError.changedWhilePackaging(path: fixture.root + "/share/doc/notes with spaces.txt")) {
                try PackageWriter.write(packager, contents: contents, info: info, outputDirectory: output)
            }
        }
        #expect(try FileManager.default.contentsOfDirectory(atPath: output).isEmpty)
    }

    @Test func invalidInfoIsRefusedBeforeAnythingIsWritten() async throws {
        let fixture = try await Fixture.make()
        defer { fixture.remove() }
        let contents = try fixture.contents(fixture.info())
        var info = fixture.info()
        info.version = "latest"
        let output = fixture.base + "/never"
        #expect(throws: PackagingError.invalidInfo(["version 'latest' must start with a digit (dpkg requires it)"])) {
            try PackageWriter.write(RPMPackager(), contents: contents, info: info, outputDirectory: output)
        }
        #expect(!FileManager.default.fileExists(atPath: output))
    }

    @Test func scratchDirectoriesOfRunsThatAreGoneAreRemovedAndThoseOfRunningOnesKept() async throws {
        let fixture = try await Fixture.make()
        defer { fixture.remove() }
        let output = fixture.base + "/pkg"
        let gone = try Process.run(URL(fileURLWithPath: "/bin/true"), arguments: [])
        gone.waitUntilExit()
        let running = try Process.run(URL(fileURLWithPath: "/bin/sleep"), arguments: ["30"])
        // SIGKILL: a child started from a concurrency thread may block SIGTERM.
        defer { kill(running.processIdentifier, SIGKILL); running.waitUntilExit() }
        let killed = OwnedName.stamp(PackageWriter.scratchPrefix, pid: gone.processIdentifier) + "AbC123"
        let busy = OwnedName.stamp(PackageWriter.scratchPrefix, pid: running.processIdentifier) + "dEf456"
        for name in [killed, busy] {
            try FileManager.default.createDirectory(atPath: output + "/" + name + "/inner", withIntermediateDirectories: true)
            try Data("half a package".utf8).write(to: URL(fileURLWithPath: output + "/" + name + "/inner/app.deb"))
        }

        let built = try fixture.build(DebPackager(), info: fixture.info(), output: output)
        let file = URL(fileURLWithPath: built.path).lastPathComponent
        #expect(try FileManager.default.contentsOfDirectory(atPath: output).sorted()
                == [busy, file, file + ".metadata.json"].sorted())
    }
}
