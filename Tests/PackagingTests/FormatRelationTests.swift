import Archive
import Definitions
import Foundation
import Testing
@testable import Packaging

/// Per-format relations and rpm-only scripts, as dpkg-deb and rpm read them.
@Suite struct FormatRelationTests {
    static let tools = Command.which("dpkg-deb") != nil && Command.which("rpm") != nil

    @Test(.enabled(if: tools, "needs dpkg-deb and rpm to read the packages"))
    func eachFormatGetsItsOwnNamesAndTheNeutralOnes() async throws {
        let fixture = try await Fixture.make()
        defer { fixture.remove() }
        var info = fixture.info()
        info.scripts[.pretrans] = "#!/bin/sh\necho checking\n"
        info.scripts[.posttrans] = "#!/bin/sh\necho done\n"
        let deb = try fixture.build(DebPackager(relations: [
            "pre_depends": ["adduser"], "depends": ["libc6 (>= 2.17)", "zlib1g"], "recommends": ["curl"],
            "breaks": ["old (<< 2)"], "suggests": ["a | b"],
        ]), info: info)
        let fields = try await Command.run("dpkg-deb", ["-f", deb.path, "Pre-Depends", "Depends", "Recommends", "Suggests", "Breaks"]).text
        // libc6 (>= 2.17) is in the neutral list too (the fixture's runtime_dependencies): written once.
        #expect(fields == "Pre-Depends: adduser\nDepends: libc6 (>= 2.17), zlib1g\nRecommends: curl\nSuggests: a | b\nBreaks: old (<< 2)\n")
        let members = try await Command.run("sh", ["-c", "dpkg-deb --ctrl-tarfile '\(deb.path)' | tar -t"]).text
        #expect(!members.contains("pretrans") && !members.contains("posttrans"), "dpkg has no transaction scripts")

        let rpm = try fixture.build(RPMPackager(relations: [
            "requires": ["glibc >= 2.17"], "recommends": ["curl"], "suggests": ["bash-completion"],
            "obsoletes": ["old < 2"], "conflicts": ["other"],
        ]), info: info)
        let query = { (option: String) async throws -> String in try await Command.run("rpm", ["-qp", option, rpm.path]).text }
        let requires = try await query("--requires")
        #expect(requires.contains("glibc >= 2.17\n") && requires.contains("libc6 >= 2.17\n"), "\(requires)")
        #expect(try await query("--recommends") == "curl\n")
        #expect(try await query("--suggests") == "bash-completion\n")
        #expect(try await query("--obsoletes") == "old < 2\n")
        #expect(try await query("--conflicts") == "other\n")
        let scripts = try await query("--scripts")
        #expect(scripts.contains("pretrans scriptlet (using /bin/sh):\n#!/bin/sh\necho checking"), "\(scripts)")
        #expect(scripts.contains("posttrans scriptlet (using /bin/sh):\n#!/bin/sh\necho done"))
        let check = try await Command.run("rpm", ["-K", "--nosignature", rpm.path])
        #expect(check.text.contains("digests OK"))
    }

    @Test(.enabled(if: tools, "needs dpkg-deb and rpm to read the packages"))
    func derivedBaseRelationsFollowTheProjectsOwnAndAreWrittenOnce() async throws {
        let fixture = try await Fixture.make()
        defer { fixture.remove() }
        var info = fixture.info()
        info.baseSystem = BaseSystemDependencies(
            floors: ["glibc": "2.34"], debian: ["libc6 (>= 2.34)", "libgcc-s1 (>= 3.0)", "zlib1g"],
            rpm: ["libc.so.6()(64bit)", "libc.so.6(GLIBC_2.34)(64bit)", "glibc"])
        let deb = try fixture.build(DebPackager(relations: ["depends": ["zlib1g"]]), info: info)
        let depends = try await Command.run("dpkg-deb", ["-f", deb.path, "Depends"]).text
        // The fixture's runtime_dependencies, the project's deb ones, then the derived ones; zlib1g once.
        #expect(depends == "libc6 (>= 2.17), zlib1g, libc6 (>= 2.34), libgcc-s1 (>= 3.0)\n", "\(depends)")
        let rpm = try fixture.build(RPMPackager(relations: ["requires": ["glibc >= 2.17"]]), info: info)
        let requires = try await Command.run("rpm", ["-qp", "--requires", rpm.path]).text.split(separator: "\n").map(String.init)
        #expect(requires.contains("libc.so.6()(64bit)") && requires.contains("libc.so.6(GLIBC_2.34)(64bit)"), "\(requires)")
        // A name the project requires itself is not repeated without its version.
        #expect(requires.filter { $0.hasPrefix("glibc") } == ["glibc >= 2.17"], "\(requires)")
        let check = try await Command.run("rpm", ["-K", "--nosignature", rpm.path])
        #expect(check.text.contains("digests OK"))
    }
}
