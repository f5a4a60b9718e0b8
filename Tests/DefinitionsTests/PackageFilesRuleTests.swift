import Definitions
import Foundation
import OmnibusKit
import Testing

/// `files:`, `users:`, `groups:` and the per-format relation lists: whatever packaging or the
/// target would refuse is refused by `validate`, at the line that says it.
struct PackageFilesRuleTests {
    /// A repository with `Projects/app.yml` ending in `lines` (from line 8) and a unit file and a
    /// config file under PackageScripts/app/; returns the problems, or the project.
    static func load(_ lines: String) throws -> Result<Project, DefinitionError> {
        let root = FileManager.default.temporaryDirectory.path + "/files-rules-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: root + "/Projects", withIntermediateDirectories: true)
        try FileManager.default.createDirectory(atPath: root + "/PackageScripts/app/conf.d", withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: root) }
        try "[Service]\n".write(toFile: root + "/PackageScripts/app/app.service", atomically: true, encoding: .utf8)
        try "key=1\n".write(toFile: root + "/PackageScripts/app/app.conf", atomically: true, encoding: .utf8)
        try FileManager.default.createSymbolicLink(atPath: root + "/PackageScripts/app/link.conf", withDestinationPath: "app.conf")
        try FileManager.default.createSymbolicLink(atPath: root + "/PackageScripts/app/etc", withDestinationPath: "/etc")
        try """
            name: app
            maintainer: A <a@example.com>
            homepage: https://example.com
            version: "1.0"
            dependencies: []
            install_dir: /opt/app
            license: MIT
            \(lines)
            """.write(toFile: root + "/Projects/app.yml", atomically: true, encoding: .utf8)
        do throws(DefinitionError) {
            return .success(try ProjectLoader.load(path: root + "/Projects/app.yml", displayPath: "Projects/app.yml",
                                                   kinds: Extensions.standard, repositoryRoot: root))
        } catch {
            return .failure(error)
        }
    }

    static func problems(_ lines: String) throws -> [String] {
        switch try load(lines) {
        case .success: []
        case .failure(let error): error.diagnostics.map(\.description)
        }
    }

    @Test func aServiceProjectLoadsWithEveryKindOfFile() throws {
        let project = try Self.load("""
            users: [{ name: app, home: /var/lib/app, comment: "App service" }]
            groups: [appadmin]
            files:
              - { path: /lib/systemd/system/app.service, source: PackageScripts/app/app.service }
              - { path: /etc/app/app.conf, type: config, source: PackageScripts/app/app.conf, mode: "0640", group: app }
              - { path: /usr/bin/app, target: /opt/app/bin/app }
              - { path: /var/log/app, type: directory, owner: app, group: appadmin, mode: "0750" }
            package:
              deb: { depends: ["libc6 (>= 2.34)"], pre_depends: [adduser], recommends: [curl], breaks: ["old-app (<< 2)"] }
              rpm: { requires: ["glibc >= 2.34"], recommends: [curl], obsoletes: [old-app] }
            """).get()
        #expect(project.files.map(\.path) == ["/lib/systemd/system/app.service", "/etc/app/app.conf", "/usr/bin/app", "/var/log/app"])
        #expect(project.files[1].kind == .config(source: "PackageScripts/app/app.conf"))
        #expect(project.files[1].mode == 0o640)
        #expect(project.files[2].kind == .symlink(target: "/opt/app/bin/app"))
        #expect(project.files[3].kind == .directory && project.files[3].owner == "app")
        #expect(project.users == [SystemUser(name: "app", home: "/var/lib/app", comment: "App service")])
        #expect(project.users[0].group == "app" && project.users[0].shell == "/usr/sbin/nologin")
        #expect(project.groups == ["appadmin"])
        #expect(project.package.options["deb"]?.relations("pre_depends") == ["adduser"])
        #expect(project.package.options["rpm"]?.relations("requires") == ["glibc >= 2.34"])
    }

    @Test(arguments: [
        ("files: [{ path: etc/app.conf, source: PackageScripts/app/app.conf }]", "Projects/app.yml:8:17: 'files': 'etc/app.conf' must be an absolute path"),
        ("files: [{ path: /opt/app/etc/app.conf, source: PackageScripts/app/app.conf }]", "Projects/app.yml:8:17: 'files': /opt/app/etc/app.conf is inside the install dir"),
        ("files: [{ path: /opt, type: directory }]", "Projects/app.yml:8:17: 'files': /opt contains the install dir"),
        ("files: [{ path: /usr/bin, type: directory }]", "Projects/app.yml:8:17: 'files': /usr/bin is a system directory"),
        ("files: [{ path: /run/app, type: directory }]", "Projects/app.yml:8:17: 'files': /run/app is under /run"),
        ("files: [{ path: /etc/../etc/shadow, source: PackageScripts/app/app.conf }]", "Projects/app.yml:8:17: 'files': '/etc/../etc/shadow' must not contain"),
        ("files: [{ path: /etc/app.conf, source: PackageScripts/app/missing.conf }]", "Projects/app.yml:8:40: 'files.source' PackageScripts/app/missing.conf does not exist"),
        ("files: [{ path: /etc/app.conf, source: PackageScripts/app/link.conf }]", "Projects/app.yml:8:40: 'files.source' PackageScripts/app/link.conf is not a regular file"),
        ("files: [{ path: /etc/app.conf, source: PackageScripts/app/etc/passwd }]", "Projects/app.yml:8:40: 'files.source' PackageScripts/app/etc/passwd leads outside the packaging repository (to /etc/passwd)"),
        ("files: [{ path: /etc/app.conf, source: ../../etc/passwd }]", "Projects/app.yml:8:40: 'files.source' must be a path inside the packaging repository"),
        ("files: [{ path: /etc/app.conf, source: /etc/passwd }]", "Projects/app.yml:8:40: 'files.source' must be a path inside the packaging repository"),
        ("files: [{ path: /etc/app.conf, type: confg, source: PackageScripts/app/app.conf }]", "Projects/app.yml:8:38: 'files.type' has unknown value 'confg' (did you mean 'config'?)"),
        ("files: [{ path: /etc/app.conf }]", "Projects/app.yml:8:17: 'files': say what /etc/app.conf is"),
        ("files: [{ path: /etc/app.conf, type: config }]", "Projects/app.yml:8:9: missing required key 'files.source'"),
        ("files: [{ path: /usr/bin/app, type: symlink }]", "Projects/app.yml:8:9: missing required key 'files.target'"),
        ("files: [{ path: /var/lib/app, type: directory, target: /x }]", "Projects/app.yml:8:56: 'files.target' only applies to type symlink"),
        ("files: [{ path: /var/lib/app, type: directory, mode: 0750 }]", "Projects/app.yml:8:54: 'files.mode' must be a quoted octal string"),
        ("files: [{ path: /var/lib/app, type: directory, mode: \"0999\" }]", "Projects/app.yml:8:54: 'files.mode' must be an octal mode"),
        ("files: [{ path: /usr/bin/app, target: /opt/app/bin/app, mode: \"0755\" }]", "Projects/app.yml:8:57: 'files.mode' does not apply to a symlink"),
        ("files: [{ path: /var/lib/app, type: directory, owner: app }]", "Projects/app.yml:8:55: 'files.owner' 'app' is neither root, package.user nor declared in 'users:'"),
        ("files: [{ path: /var/lib/app, type: directory, group: app }]", "Projects/app.yml:8:55: 'files.group' 'app' is neither root"),
        ("files: [{ path: /var/lib/app, type: directory, ownr: root }]", "Projects/app.yml:8:48: unknown key 'files.ownr' (did you mean 'files.owner'?)"),
        ("files: [{ path: /var/lib/app, type: directory }, { path: /var/lib/app/, type: directory }]", "Projects/app.yml:8:58: 'files': /var/lib/app is listed twice (first at 8:17)"),
        ("users: [{ name: \"App User\" }]", "Projects/app.yml:8:18: 'users.name' 'App User' is not a valid account name"),
        ("users: [{ name: root }]", "Projects/app.yml:8:17: 'users': root always exists"),
        ("users: [{ name: app, shell: \"/bin/sh; rm -rf /\" }]", "Projects/app.yml:8:30: 'users.shell' must be an absolute path"),
        ("users: [{ name: app, comment: \"a:b\" }]", "Projects/app.yml:8:32: 'users.comment' must be one line without ':'"),
        ("groups: [\"Bad Group\"]", "Projects/app.yml:8:11: 'groups' 'Bad Group' is not a valid account name"),
        ("package: { deb: { dependz: [x] } }", "Projects/app.yml:8:19: unknown key 'package.deb.dependz' (did you mean 'package.deb.depends'?)"),
        ("package: { rpm: { requires: [\"glibc >\"] } }", "Projects/app.yml:8:31: 'package.rpm.requires': expected 'name'"),
        ("package: { rpm: { depends: [x] } }", "Projects/app.yml:8:19: unknown key 'package.rpm.depends'"),
        ("config_files: [/etc/app.conf]", "Projects/app.yml:8:16: config file '/etc/app.conf' /etc/app.conf is not inside the install dir /opt/app; list a configuration file outside it under 'files:' with 'type: config'"),
    ] as [(String, String)])
    func refusedWithTheirLocation(lines: String, expected: String) throws {
        let found = try Self.problems(lines)
        #expect(found.contains { $0.hasPrefix(expected) }, "\(found)")
    }
}
