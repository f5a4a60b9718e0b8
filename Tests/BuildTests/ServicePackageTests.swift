import Foundation
import Testing

/// A project that ships a service, as a release engineer writes one: a systemd unit, a conffile,
/// an owned link on PATH, a log directory owned by a service user it creates. Judged by dpkg and
/// rpm through a whole life cycle: install, admin edit, upgrade, remove, purge. Installs into
/// the real system (dpkg) and a mini root (rpm), so it needs root, as CI is.
@Suite(.serialized) struct ServicePackageTests {
    static let canInstall = getuid() == 0 && ["/usr/bin/dpkg", "/usr/bin/rpm", "/usr/sbin/useradd"].allSatisfy {
        FileManager.default.isExecutableFile(atPath: $0)
    }

    /// A repository whose project `name` installs into /opt/<name>; `conf` is the packaged conffile text.
    static func serviceRepository(_ name: String, iteration: Int = 1, conf: String = "greeting=hello\n") throws -> TestRepository {
        let repo = try TestRepository("service")
        try repo.write("src/svc/svc", "#!/bin/sh\necho \"\(name) running\"\n", executable: true)
        try repo.localSoftware("svc", steps: [#"mkdir: "{{install_dir}}/bin""#, #"copy: { from: svc, to: "{{install_dir}}/bin/svc" }"#])
        try writeProject(repo, name, iteration: iteration, conf: conf)
        return repo
    }

    static func writeProject(_ repo: TestRepository, _ name: String, iteration: Int, conf: String) throws {
        try repo.write("PackageScripts/\(name)/\(name).service", """
            [Unit]
            Description=\(name)

            [Service]
            User=\(name)
            ExecStart=/opt/\(name)/bin/svc

            [Install]
            WantedBy=multi-user.target

            """)
        try repo.write("PackageScripts/\(name)/\(name).conf", conf)
        try repo.write("Projects/\(name).yml", """
            name: \(name)
            maintainer: Ops <ops@example.com>
            homepage: https://example.com/\(name)
            version: "1.0.0"
            iteration: \(iteration)
            install_dir: /opt/\(name)
            dependencies: [svc]
            users:
              - { name: \(name), home: /var/lib/\(name), comment: "\(name) service" }
            files:
              - { path: /lib/systemd/system/\(name).service, source: PackageScripts/\(name)/\(name).service }
              - { path: /etc/\(name), type: directory }
              - { path: /etc/\(name)/\(name).conf, type: config, source: PackageScripts/\(name)/\(name).conf, mode: "0640", group: \(name) }
              - { path: /usr/bin/\(name), target: /opt/\(name)/bin/svc }
              - { path: /var/log/\(name), type: directory, owner: \(name), group: \(name), mode: "0750" }
            package:
              formats: [deb, rpm]
              deb: { depends: ["libc6 (>= 2.17)"], recommends: [curl] }
              rpm: { requires: ["glibc >= 2.17"], recommends: [curl] }

            """)
    }

    static func build(_ repo: TestRepository, _ name: String) async throws {
        let result = try await repo.omnibus(["build", name])
        #expect(result.status == 0, "\(result.stdout)\n\(result.stderr)")
    }

    static func owner(_ path: String) -> (uid: UInt32, gid: UInt32, mode: UInt32)? {
        var status = stat()
        guard lstat(path, &status) == 0 else { return nil }
        return (status.st_uid, status.st_gid, UInt32(status.st_mode) & 0o7777)
    }

    static func text(_ path: String) -> String? { try? String(contentsOfFile: path, encoding: .utf8) }

    /// Script mistakes used to surface only when packaging, after the whole build.
    @Test func validateRejectsScriptsPackagingWouldRefuse() async throws {
        let repo = try Self.serviceRepository("svccheck")
        try repo.write("PackageScripts/svccheck/preinst", "#!/usr/bin/python3\nprint(1)\n", executable: true)
        try repo.write("PackageScripts/svccheck/postrm", "#!/bin/sh\necho {{instal_dir}}\n", executable: true)
        let result = try await repo.omnibus(["validate"])
        #expect(result.status == 2)
        #expect(result.stderr.contains("PackageScripts/svccheck/preinst: with 'users:' or 'groups:' the preinst must be a /bin/sh or bash script"), "\(result.stdout)\(result.stderr)")
        #expect(result.stderr.contains("PackageScripts/svccheck/postrm: '{{instal_dir}}' is not a script variable"))
    }

    /// rpm's transaction scripts are named under package.rpm; a typo is found by validate.
    @Test(.enabled(if: FileManager.default.isExecutableFile(atPath: "/usr/bin/rpm"), "needs rpm to read the package"))
    func rpmTransactionScriptsComeFromThePackageRPMSection() async throws {
        let repo = try TestRepository("pretrans")
        try repo.localSoftware("thing", steps: [#"mkdir: "{{embedded}}/share""#])
        try repo.write("PackageScripts/app/check-space", "#!/bin/sh\necho 'checking {{install_dir}}'\n")
        try repo.project(dependencies: ["thing"], extra: """
            package:
              formats: [rpm]
              rpm: { pretrans: PackageScripts/app/check-space, posttrans: PackageScripts/app/missing }
            """)
        let refused = try await repo.omnibus(["validate"])
        #expect(refused.status == 2 && refused.stderr.contains("'package.rpm.posttrans' PackageScripts/app/missing does not exist"), "\(refused.stderr)")
        try repo.project(dependencies: ["thing"], extra: """
            package:
              formats: [rpm]
              rpm: { pretrans: PackageScripts/app/check-space }
            """)
        try repo.write("PackageScripts/app/posttrans", "#!/bin/sh\n")
        let stray = try await repo.omnibus(["validate"])
        #expect(stray.status == 2 && stray.stderr.contains("PackageScripts/app/posttrans is not read"), "\(stray.stderr)")
        try FileManager.default.removeItem(atPath: repo.root + "/PackageScripts/app/posttrans")
        let build = try await repo.omnibus(["build", "app"])
        #expect(build.status == 0, "\(build.stdout)\(build.stderr)")
        let rpm = try #require(try FileManager.default.contentsOfDirectory(atPath: repo.root + "/pkg").first { $0.hasSuffix(".rpm") })
        let scripts = try await CommandResult.run(["rpm", "-qp", "--scripts", repo.root + "/pkg/" + rpm]).stdout
        #expect(scripts.contains("pretrans scriptlet (using /bin/sh):\n#!/bin/sh\necho 'checking \(repo.installDir)'"), "\(scripts)")
    }

    @Test(.enabled(if: canInstall, "needs root, dpkg, rpm and useradd: it installs packages for real"))
    func dpkgLifeCycleKeepsTheAdminsEditAndOwnsEverything() async throws {
        let name = "svc" + UUID().uuidString.prefix(6).lowercased()
        let repo = try Self.serviceRepository(name)
        defer {
            _ = try? SystemDpkg.runBriefly(["--purge", name])
            _ = try? CommandResult.runBriefly(["userdel", name])
            _ = try? CommandResult.runBriefly(["groupdel", name])
            try? FileManager.default.removeItem(atPath: "/opt/\(name)")
            try? FileManager.default.removeItem(atPath: "/var/log/\(name)")
        }
        // Both iterations are built first: once dpkg owns /opt/<name>, a build may not take it over.
        try await Self.build(repo, name)
        try Self.writeProject(repo, name, iteration: 2, conf: "greeting=hello\n")
        try await Self.build(repo, name)
        let deb1 = repo.root + "/pkg/\(name)_1.0.0-1_amd64.deb"
        let control = try await CommandResult.run(["dpkg-deb", "-f", deb1, "Depends", "Recommends"]).stdout
        #expect(control == "Depends: libc6 (>= 2.17)\nRecommends: curl\n")
        #expect(try await CommandResult.run(["dpkg-deb", "--ctrl-tarfile", deb1]).status == 0)
        try FileManager.default.removeItem(atPath: "/opt/\(name)")

        let install = try await SystemDpkg.run(["-i", deb1])
        #expect(install.status == 0, "\(install.stdout)\n\(install.stderr)")
        let account = try await CommandResult.run(["getent", "passwd", name]).stdout
        #expect(account.contains(":/var/lib/\(name):/usr/sbin/nologin"), "\(account)")
        let uid = try #require(account.split(separator: ":").dropFirst(2).first.flatMap { UInt32($0) })
        let gid = try #require(try await CommandResult.run(["getent", "group", name]).stdout.split(separator: ":").dropFirst(2).first.flatMap { UInt32($0) })
        #expect(Self.owner("/var/log/\(name)").map { [$0.uid, $0.gid, $0.mode] } == [uid, gid, 0o750])
        #expect(Self.owner("/etc/\(name)/\(name).conf").map { [$0.uid, $0.gid, $0.mode] } == [0, gid, 0o640])
        #expect(Self.text("/lib/systemd/system/\(name).service")?.contains("ExecStart=/opt/\(name)/bin/svc") == true)
        let fromPath = try await CommandResult.run(["sh", "-c", name], environment: ["PATH": "/usr/bin:/bin"])
        #expect(fromPath.stdout == "\(name) running\n")
        #expect(try await CommandResult.run(["dpkg", "-S", "/usr/bin/\(name)"]).stdout == "\(name): /usr/bin/\(name)\n")
        #expect(try await CommandResult.run(["dpkg", "--verify", name]).stdout == "")

        // The admin edits the conffile; the next iteration ships the same conffile: no prompt, the edit stays.
        try "greeting=hello\nedited=yes\n".write(toFile: "/etc/\(name)/\(name).conf", atomically: false, encoding: .utf8)
        let upgrade = try await CommandResult.run(["sh", "-c", "flock \(SystemDpkg.lock) dpkg -i '\(repo.root)/pkg/\(name)_1.0.0-2_amd64.deb' </dev/null"])
        #expect(upgrade.status == 0, "\(upgrade.stdout)\n\(upgrade.stderr)")
        #expect(Self.text("/etc/\(name)/\(name).conf") == "greeting=hello\nedited=yes\n")
        #expect(!FileManager.default.fileExists(atPath: "/etc/\(name)/\(name).conf.dpkg-dist"))

        let remove = try await SystemDpkg.run(["-r", name])
        #expect(remove.status == 0, "\(remove.stderr)")
        #expect(Self.text("/etc/\(name)/\(name).conf") == "greeting=hello\nedited=yes\n", "remove keeps conffiles")
        #expect(!FileManager.default.fileExists(atPath: "/usr/bin/\(name)"))
        #expect(!FileManager.default.fileExists(atPath: "/lib/systemd/system/\(name).service"))
        let purge = try await SystemDpkg.run(["-P", name])
        #expect(purge.status == 0, "\(purge.stderr)")
        #expect(!FileManager.default.fileExists(atPath: "/etc/\(name)"), "purge removes the conffile and its directory")
    }

    @Test(.enabled(if: canInstall, "needs root, rpm and useradd: it installs into a mini root"))
    func rpmLifeCycleFollowsNoReplaceSemantics() async throws {
        let name = "svc" + UUID().uuidString.prefix(6).lowercased()
        let repo = try Self.serviceRepository(name)
        try await Self.build(repo, name)
        try Self.writeProject(repo, name, iteration: 2, conf: "greeting=hello\n")
        try await Self.build(repo, name)
        try Self.writeProject(repo, name, iteration: 3, conf: "greeting=bonjour\n")
        try await Self.build(repo, name)
        let rpm1 = repo.root + "/pkg/\(name)-1.0.0-1.x86_64.rpm"
        let query = try await CommandResult.run(["rpm", "-qp", "--requires", "--recommends", rpm1]).stdout
        #expect(query.contains("glibc >= 2.17") && query.contains("curl"), "\(query)")
        #expect(try await CommandResult.run(["rpm", "-qpc", rpm1]).stdout == "/etc/\(name)/\(name).conf\n")

        let root = FileManager.default.temporaryDirectory.appendingPathComponent("rpmroot-\(name)").path
        defer { try? FileManager.default.removeItem(atPath: root) }
        try await MiniRoot.make(at: root, commands: ["sh", "getent", "useradd", "groupadd", "find", "chown", "chmod", "printf"])
        let install = try await CommandResult.run(["rpm", "-i", "--root", root, "--nodeps", rpm1])
        #expect(install.status == 0, "\(install.stdout)\n\(install.stderr)")
        let passwd = Self.text(root + "/etc/passwd") ?? ""
        let entry = try #require(passwd.split(separator: "\n").first { $0.hasPrefix(name + ":") }, "\(passwd)")
        let uid = try #require(entry.split(separator: ":").dropFirst(2).first.flatMap { UInt32($0) })
        #expect(Self.owner(root + "/var/log/\(name)").map { [$0.uid, $0.mode] } == [uid, 0o750])
        #expect(try FileManager.default.destinationOfSymbolicLink(atPath: root + "/usr/bin/\(name)") == "/opt/\(name)/bin/svc")
        let verify = try await CommandResult.run(["rpm", "-V", "--root", root, "--nodeps", name])
        #expect(verify.status == 0 && verify.stdout.isEmpty, "\(verify.stdout)\(verify.stderr)")

        // Edited, then upgraded to an iteration with the same conffile: kept, no .rpmnew.
        let conf = root + "/etc/\(name)/\(name).conf"
        try "greeting=hello\nedited=yes\n".write(toFile: conf, atomically: false, encoding: .utf8)
        let upgrade = try await CommandResult.run(["rpm", "-U", "--root", root, "--nodeps", repo.root + "/pkg/\(name)-1.0.0-2.x86_64.rpm"])
        #expect(upgrade.status == 0, "\(upgrade.stderr)")
        #expect(Self.text(conf) == "greeting=hello\nedited=yes\n")
        #expect(!FileManager.default.fileExists(atPath: conf + ".rpmnew"))

        // An iteration whose conffile changed: noreplace keeps the edit and puts the new one beside it.
        let changed = try await CommandResult.run(["rpm", "-U", "--root", root, "--nodeps", repo.root + "/pkg/\(name)-1.0.0-3.x86_64.rpm"])
        #expect(changed.status == 0, "\(changed.stderr)")
        #expect(Self.text(conf) == "greeting=hello\nedited=yes\n")
        #expect(Self.text(conf + ".rpmnew") == "greeting=bonjour\n")

        let erase = try await CommandResult.run(["rpm", "-e", "--root", root, "--nodeps", name])
        #expect(erase.status == 0, "\(erase.stderr)")
        #expect(Self.text(conf + ".rpmsave") == "greeting=hello\nedited=yes\n", "an edited config is saved on erase")
        #expect(!FileManager.default.fileExists(atPath: root + "/usr/bin/\(name)"))
        #expect(!FileManager.default.fileExists(atPath: root + "/lib/systemd/system/\(name).service"))
        try? FileManager.default.removeItem(atPath: "/opt/\(name)")
    }
}
