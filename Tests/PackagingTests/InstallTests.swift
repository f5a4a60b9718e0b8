import Archive
import Foundation
import Testing
@testable import Packaging

/// Installs built packages with the real package managers. dpkg changes the real system, so these
/// run one at a time, as root, with unique package names, and always remove what they installed.
@Suite(.serialized) struct InstallTests {
    static let canUseDpkg = Command.isRoot && Command.which("dpkg") != nil && Command.which("useradd") != nil

    @Test(.enabled(if: canUseDpkg, "needs root, dpkg and useradd (CI runs as root)"))
    func dpkgInstallsWithOwnersModesAndScriptsThenRemoves() async throws {
        let user = try #require(try TestUser.ensure())
        let fixture = try await Fixture.make()
        defer { fixture.remove() }
        // Scripts as a project would write them: the default postinst plus a marker, a prerm.
        let marker = "/var/tmp/\(fixture.name).postinst"
        let postinst = MaintainerScripts.defaultPostinst(installDir: fixture.installDir, user: TestUser.name, group: TestUser.name)
            + "echo \"$1\" > \(marker)\n"
        let prerm = "#!/bin/sh\nset -e\nrm -f \(marker)\n"
        let info = fixture.info(user: TestUser.name, group: TestUser.name, scripts: [.postinst: postinst, .prerm: prerm])
        // chown in the postinst clears setuid and setgid bits; the generated lines must put them back.
        chmod(fixture.root + "/bin/\(fixture.name)", 0o4755)
        _ = FileManager.default.createFile(atPath: fixture.root + "/bin/setgid-tool", contents: Data("#!/bin/sh\n".utf8))
        chmod(fixture.root + "/bin/setgid-tool", 0o2755)
        let built = try fixture.build(DebPackager(compression: ArchiveCompression(.zstd)), info: info)

        // A stray file with the wrong owner, there before the install: the postinst fixes it.
        try FileManager.default.createDirectory(atPath: fixture.installDir, withIntermediateDirectories: true)
        let stray = fixture.installDir + "/stray"
        _ = FileManager.default.createFile(atPath: stray, contents: Data("x".utf8))
        defer {
            _ = try? SystemDpkg.runBriefly(["--purge", fixture.name])
            try? FileManager.default.removeItem(atPath: fixture.installDir)
            try? FileManager.default.removeItem(atPath: marker)
        }

        let install = try await SystemDpkg.run(["-i", built.path])
        #expect(install.succeeded, "\(install.text)\(install.error)")
        #expect(try String(contentsOfFile: marker, encoding: .utf8) == "configure\n")
        for (relative, mode) in [("bin/\(fixture.name)", 0o4755), ("bin/setgid-tool", 0o2755), ("embedded/lib/libdemo.so.1.0.0", 0o755),
                                 ("etc/\(fixture.name).conf", 0o644), ("share/doc/README", 0o644), ("var/empty", 0o755), ("stray", 0o644)] {
            var status = stat()
            #expect(lstat(fixture.installDir + "/" + relative, &status) == 0, "\(relative) is missing")
            #expect(status.st_uid == user.uid && status.st_gid == user.gid, "\(relative) owner \(status.st_uid):\(status.st_gid)")
            #expect(status.st_mode & 0o7777 == mode, "\(relative) mode \(String(status.st_mode & 0o7777, radix: 8))")
        }
        var linkStatus = stat(), fileStatus = stat()
        lstat(fixture.installDir + "/share/doc/README.hardlink", &linkStatus)
        lstat(fixture.installDir + "/share/doc/README", &fileStatus)
        #expect(linkStatus.st_ino == fileStatus.st_ino)
        let run = try await Command.run(fixture.installDir + "/bin/\(fixture.name)", ["dpkg"])
        #expect(run.text == "hello, dpkg (4)\n")
        let verify = try await Command.run("dpkg", ["--verify", fixture.name])
        #expect(verify.succeeded && verify.text.isEmpty, "\(verify.text)")

        let remove = try await SystemDpkg.run(["-r", fixture.name])
        #expect(remove.succeeded, "\(remove.error)")
        #expect(!FileManager.default.fileExists(atPath: marker), "prerm did not run")
        let left = try FileManager.default.subpathsOfDirectory(atPath: fixture.installDir).sorted()
        // Only what dpkg must keep: the stray file (not the package's), the conffile until purge.
        #expect(left == ["etc", "etc/\(fixture.name).conf", "stray"])
    }
}
