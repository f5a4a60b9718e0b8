import Foundation
import Testing

/// The `sh` format through the `omnibus` binary, installed the way its users install it: into a
/// clean Debian root with `chroot ROOT sh /installer.sh`, as root, with the project's scripts.
@Suite(.serialized) struct ShInstallerTests {
    /// A skeleton project (`omnibus new`) packaged as `tar` and `sh`, its files owned by
    /// `daemon` (an account every Debian root has), with a preinst and a postinst that log
    /// their `$1`.
    struct Project {
        let name: String
        let base: String
        let repo: String
        var log: String { "/var/tmp/\(name).log" }
        var installer: String { repo + "/pkg/\(name)-0.1.0-1.debian12.x86_64.sh" }

        init(label: String, shOptions: String = "") async throws {
            name = "\(label)\(UUID().uuidString.prefix(6).lowercased())"
            base = FileManager.default.temporaryDirectory.appendingPathComponent("sh-\(name)").path
            repo = base + "/omnibus-\(name)"
            try FileManager.default.createDirectory(atPath: base, withIntermediateDirectories: true)
            let created = try await CommandResult.run([OmnibusBinaryPath.path, "new", name], in: base)
            guard created.status == 0 else { throw DebianRoot.RootError(description: "omnibus new: \(created.stderr)") }
            let projectFile = repo + "/Projects/\(name).yml"
            var project = try String(contentsOfFile: projectFile, encoding: .utf8)
            project = project.replacingOccurrences(of: "formats: [deb, rpm, tar]", with: "formats: [tar, sh]")
                .replacingOccurrences(of: "user: root", with: "user: daemon")
                .replacingOccurrences(of: "group: root", with: "group: daemon")
            if !shOptions.isEmpty { project += "  sh: { \(shOptions) }\n" }
            try project.write(toFile: projectFile, atomically: true, encoding: .utf8)
            let scripts = repo + "/PackageScripts/\(name)"
            try "#!/bin/sh\nset -e\necho \"preinst $1\" >> \(log)\n".write(toFile: scripts + "/preinst", atomically: true, encoding: .utf8)
            let postinst = try String(contentsOfFile: scripts + "/postinst", encoding: .utf8)
            try postinst.replacingOccurrences(of: "\nexit 0", with: "\necho \"postinst $1\" >> \(log)\nexit 0")
                .write(toFile: scripts + "/postinst", atomically: true, encoding: .utf8)
        }

        func build() async throws -> CommandResult {
            try await CommandResult.run([OmnibusBinaryPath.path, "build", name, "--work-dir", base + "/work", "--cache-dir", base + "/cache"], in: repo)
        }

        func remove() {
            try? FileManager.default.removeItem(atPath: "/opt/\(name)")
            try? FileManager.default.removeItem(atPath: base)
        }
    }

    static func chroot(_ root: String, _ command: [String]) async throws -> CommandResult {
        try await CommandResult.run(["/usr/sbin/chroot", root] + command, environment: ["PATH": "/usr/sbin:/usr/bin:/sbin:/bin"])
    }

    static func stat(_ root: String, _ path: String) async throws -> String {
        try await chroot(root, ["stat", "-c", "%U:%G", path]).stdout.trimmingCharacters(in: .whitespacesAndNewlines)
    }

    @Test(.enabled(if: DebianRoot.canMake, "needs root, mmdebstrap and chroot to install into a Debian root"))
    func installsIntoACleanDebianRoot() async throws {
        let project = try await Project(label: "shinst")
        defer { project.remove() }
        let build = try await project.build()
        #expect(build.status == 0, "\(build.stdout)\n\(build.stderr)")
        #expect(!FileManager.default.fileExists(atPath: project.repo + "/pkg/\(project.name)_0.1.0-1_amd64.deb"))

        let started = Date()
        let root = project.base + "/root"
        do { try await DebianRoot.make(at: root) } catch { try Test.cancel("no Debian root to install into: \(error)") }
        let installDir = root + "/opt/\(project.name)"
        try FileManager.default.copyItem(atPath: project.installer, toPath: root + "/installer.sh")

        // A flipped byte in the payload: refused before the preinst, nothing unpacked.
        var corrupted = try Data(contentsOf: URL(fileURLWithPath: project.installer))
        corrupted[corrupted.count - 100] ^= 0x01
        try corrupted.write(to: URL(fileURLWithPath: root + "/corrupted.sh"))
        let refused = try await Self.chroot(root, ["sh", "/corrupted.sh"])
        #expect(refused.status == 1 && refused.stderr.contains("is corrupted"), "\(refused.stderr)")
        #expect(!FileManager.default.fileExists(atPath: installDir) && !FileManager.default.fileExists(atPath: root + project.log))

        // --noexec: the files, no scripts.
        let noexec = try await Self.chroot(root, ["dash", "/installer.sh", "--noexec"])
        #expect(noexec.status == 0, "\(noexec.stderr)")
        #expect(FileManager.default.isExecutableFile(atPath: installDir + "/embedded/bin/hello"))
        #expect(!FileManager.default.fileExists(atPath: root + project.log), "a script ran under --noexec")
        // The skeleton's /usr/bin/hello is a package file (files:), so it comes without any script.
        #expect(try FileManager.default.destinationOfSymbolicLink(atPath: root + "/usr/bin/hello") == "/opt/\(project.name)/bin/hello")
        try FileManager.default.removeItem(atPath: installDir)
        try FileManager.default.removeItem(atPath: root + "/usr/bin/hello")

        // The real install, over a stray root-owned file the postinst must hand to daemon.
        try FileManager.default.createDirectory(atPath: installDir, withIntermediateDirectories: true)
        _ = FileManager.default.createFile(atPath: installDir + "/stray", contents: Data("x".utf8))
        await #expect(try Self.stat(root, "/opt/\(project.name)/stray") == "root:root")
        let install = try await Self.chroot(root, ["bash", "/installer.sh"])
        #expect(install.status == 0, "\(install.stdout)\n\(install.stderr)")
        #expect(install.stdout.contains("Installed \(project.name) 0.1.0-1 into /opt/\(project.name)"), "\(install.stdout)")
        #expect(try String(contentsOfFile: root + project.log, encoding: .utf8) == "preinst install\npostinst configure\n")
        await #expect(try Self.stat(root, "/opt/\(project.name)/stray") == "daemon:daemon", "the postinst did not fix ownership")
        await #expect(try Self.stat(root, "/opt/\(project.name)/embedded/bin/hello") == "daemon:daemon")
        #expect(try FileManager.default.destinationOfSymbolicLink(atPath: root + "/usr/bin/hello") == "/opt/\(project.name)/bin/hello")
        let hello = try await Self.chroot(root, ["sh", "-c", "hello"])
        #expect(hello.stdout == "Hello from \(project.name)!\n", "\(hello.stderr)")
        print("sh installer in a Debian root: \(String(format: "%.1f", Date().timeIntervalSince(started))) s, root included")
    }

    /// Debian's minbase has gzip but not xz: an xz installer names the package to install and
    /// changes nothing (no preinst, no files).
    @Test(.enabled(if: DebianRoot.canMake, "needs root, mmdebstrap and chroot to install into a Debian root"))
    func anXzInstallerNamesWhatMinbaseLacks() async throws {
        let project = try await Project(label: "shxz", shOptions: "compression: xz")
        defer { project.remove() }
        let build = try await project.build()
        #expect(build.status == 0, "\(build.stdout)\n\(build.stderr)")
        let root = project.base + "/root"
        do { try await DebianRoot.make(at: root) } catch { try Test.cancel("no Debian root to install into: \(error)") }
        try FileManager.default.copyItem(atPath: project.installer, toPath: root + "/installer.sh")
        let check = try await Self.chroot(root, ["sh", "/installer.sh", "--check"])
        #expect(check.status == 0, "verifying needs no xz: \(check.stderr)")
        let refused = try await Self.chroot(root, ["sh", "/installer.sh"])
        #expect(refused.status == 1 && refused.stderr.contains("needs 'xz' to unpack (Debian package xz-utils)"), "\(refused.stderr)")
        #expect(!FileManager.default.fileExists(atPath: root + "/opt/\(project.name)"))
        #expect(!FileManager.default.fileExists(atPath: root + project.log))
    }
}
