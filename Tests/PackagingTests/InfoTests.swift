import Definitions
import Foundation
import Testing
@testable import Packaging

@Suite struct InfoTests {
    private func info(version: String = "1.0", iteration: String = "1") -> PackageInfo {
        PackageInfo(name: "demo", version: version, iteration: iteration, maintainer: "A <a@example.com>",
                    installDir: "/opt/demo", sourceDateEpoch: 1_700_000_000)
    }

    @Test(arguments: [
        ("1.4.2", "1.4.2-1", "1.4.2"),
        ("v2.0", "2.0-1", "2.0"),
        ("1.2.0-rc1", "1.2.0~rc1-1", "1.2.0~rc1"),
        ("1.0_beta", "1.0.beta-1", "1.0_beta"),
        ("3:1.0", "3.1.0-1", "3.1.0"),
        ("1.0+git20240101", "1.0+git20240101-1", "1.0+git20240101"),
    ])
    func versionsAreMappedToWhatEachFormatAccepts(version: String, debian: String, rpm: String) {
        let mapped = info(version: version)
        #expect(mapped.debianVersion == debian)
        #expect(mapped.rpmVersion == rpm)
        #expect(mapped.problems().isEmpty)
    }

    @Test func everyProblemIsReportedAtOnce() {
        var bad = info(version: "latest", iteration: "")
        bad.name = "Demo_App"
        bad.maintainer = "A\nB"
        bad.installDir = "opt/demo"
        bad.configFiles = ["etc/demo.conf"]
        bad.runtimeDependencies = ["libc6 (>= 2.17), zlib1g", "foo ~> 1"]
        bad.scripts = [.postinst: "echo hello"]
        bad.versionManifest = Data("{not json".utf8)
        let problems = bad.problems()
        #expect(problems.count == 10, "\(problems)")
        #expect(problems.contains { $0.contains("package name 'Demo_App'") })
        #expect(problems.contains { $0.contains("must start with a digit") })
        #expect(problems.contains { $0.contains("iteration is empty") })
        #expect(problems.contains { $0.contains("maintainer must be a single line") })
        #expect(problems.contains { $0.contains("install dir 'opt/demo'") })
        #expect(problems.contains { $0.contains("config file 'etc/demo.conf'") })
        #expect(problems.contains { $0.contains("one dependency per list item") })
        #expect(problems.contains { $0.contains("'foo ~> 1'") })
        #expect(problems.contains { $0.contains("postinst script must start with an interpreter line") })
        #expect(problems.contains { $0.contains("not valid JSON") })
        #expect(throws: PackagingError.invalidInfo(problems)) { try bad.validate() }
    }

    @Test(arguments: [
        ("libc6 (>= 2.17)", "libc6 (>= 2.17)", "libc6", UInt32(0x0C), "2.17"),
        ("openssl >= 3.0", "openssl (>= 3.0)", "openssl", UInt32(0x0C), "3.0"),
        ("zlib", "zlib", "zlib", UInt32(0), ""),
        ("old (< 2)", "old (<< 2)", "old", UInt32(0x02), "2"),
        ("perl(Foo::Bar)", "perl(Foo::Bar)", "perl(Foo::Bar)", UInt32(0), ""),
        ("a (=1) | b", "a (= 1) | b", "(a = 1 or b)", UInt32(0), ""),
    ])
    func dependenciesRenderPerFormat(text: String, debian: String, rpmName: String, flags: UInt32, version: String) throws {
        let dependency = try PackageDependency(parsing: text)
        #expect(dependency.debian == debian)
        #expect(dependency.rpm.name == rpmName)
        #expect(dependency.rpm.flags == flags)
        #expect(dependency.rpm.version == version)
    }

    @Test func descriptionSplitsIntoSynopsisAndExtendedText() {
        var described = info()
        described.description = "\n  First line\n\nSecond paragraph\n\tindented\n\n"
        #expect(described.synopsis == "First line")
        #expect(described.extendedDescription == ["Second paragraph", "    indented"])
        described.summary = "Given summary"
        #expect(described.synopsis == "Given summary")
        #expect(described.extendedDescription == ["  First line", "", "Second paragraph", "    indented"])
    }

    @Test func architectureNamesPerFormat() async {
        #expect(PackageArchitecture(machine: "x86_64").debian == "amd64")
        #expect(PackageArchitecture(machine: "aarch64").debian == "arm64")
        #expect(PackageArchitecture(machine: "aarch64").rpm == "aarch64")
        #expect(PackageArchitecture(machine: "armv7l").rpm == "armv7hl")
        #expect(PackageArchitecture(machine: "ppc64le").debian == "ppc64el")
        #expect(PackageArchitecture.independent.debian == "all")
        #expect(PackageArchitecture.independent.rpm == "noarch")
        // The host's name maps to what dpkg itself reports.
        if let dpkg = Command.which("dpkg"), let result = try? await Command.run(dpkg, ["--print-architecture"]), result.succeeded {
            #expect(PackageArchitecture.host.debian == result.text.trimmingCharacters(in: .whitespacesAndNewlines))
        }
    }

    @Test func platformComesFromOSRelease() {
        let parsed = PlatformInfo.parse(osRelease: "NAME=\"Ubuntu\"\nID=ubuntu\nVERSION_ID=\"22.04\"\n")
        #expect(parsed == PlatformInfo(id: "ubuntu", version: "22.04"))
        #expect(parsed.tag == "ubuntu22.04")
        #expect(PlatformInfo.parse(osRelease: "").id == "linux")
    }

    @Test func defaultPostinstFixesOwnershipWhenRun() async throws {
        let script = MaintainerScripts.defaultPostinst(installDir: "/opt/my app", user: "svc", group: "svc")
        #expect(script.hasPrefix("#!/bin/sh\n"))
        #expect(script.contains("set -e\n"))
        #expect(script.contains("install_dir='/opt/my app'\n"))
        #expect(script.contains("chown -R svc:svc \"$install_dir\"\n"))
        // Run for real as root: a file with the wrong owner ends up with the package's owner.
        guard Command.isRoot else { return }
        let directory = FileManager.default.temporaryDirectory.path + "/postinst-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: directory + "/sub", withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        _ = FileManager.default.createFile(atPath: directory + "/sub/stray", contents: Data())
        #expect(chown(directory + "/sub/stray", 4242, 4242) == 0)
        // A setuid file keeps its mode although chown clears the bit.
        _ = FileManager.default.createFile(atPath: directory + "/sub/tool", contents: Data())
        #expect(chmod(directory + "/sub/tool", 0o4755) == 0)
        let rendered = MaintainerScripts.defaultPostinst(installDir: directory, user: "root", group: "root")
        #expect(try await Command.run("/bin/sh", ["-c", rendered]).succeeded)
        var status = stat()
        #expect(stat(directory + "/sub/stray", &status) == 0)
        #expect(status.st_uid == 0 && status.st_gid == 0)
        #expect(stat(directory + "/sub/tool", &status) == 0)
        #expect(status.st_mode & 0o7777 == 0o4755)
    }
}
