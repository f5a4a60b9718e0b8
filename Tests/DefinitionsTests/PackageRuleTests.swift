import Definitions
import Foundation
import OmnibusKit
import Testing

/// Every value packaging would refuse after a whole build is refused by `validate`, located.
/// These are the values an audit found accepted by validate and rejected only at packaging time
/// (or, worse, accepted and wrong).
struct PackageRuleTests {
    /// A project with `line` as its last line (line 8), so each problem must point there.
    static func problems(_ line: String) throws -> [String] {
        let directory = FileManager.default.temporaryDirectory.path + "/rules-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let path = directory + "/app.yml"
        try """
            name: app
            maintainer: A <a@example.com>
            homepage: https://example.com
            version: "1.0"
            dependencies: []
            install_dir: /opt/app
            license: MIT
            \(line)
            """.write(toFile: path, atomically: true, encoding: .utf8)
        do {
            _ = try ProjectLoader.load(path: path, displayPath: "app.yml", kinds: Extensions.standard)
            return []
        } catch {
            return error.diagnostics.map(\.description)
        }
    }

    @Test(arguments: [
        (#"description: "x""#, nil),
        (#"homepage2: x"#, "app.yml:8:1:"),
        (#"runtime_dependencies: ["libc6 (>= 2.34), libssl3"]"#, "app.yml:8:25: 'runtime_dependencies': dependency 'libc6 (>= 2.34), libssl3' contains a comma"),
        (#"conflicts: ["a\nb"]"#, "app.yml:8:14: 'conflicts': dependency"),
        (#"provides: ["x >"]"#, "app.yml:8:13: 'provides': expected 'name'"),
        ("package: { user: \"root;touch /tmp/pwned\" }", "app.yml:8:19: 'package.user' 'root;touch /tmp/pwned' is not a valid account name"),
        ("package: { group: \"$(id)\" }", "app.yml:8:20: 'package.group' '$(id)' is not a valid account name"),
        ("package: { deb: { section: \"misc\\nEvil: yes\" } }", "app.yml:8:29: package.deb.section must be a single line"),
        (#"config_files: [/etc/passwd]"#, "app.yml:8:16: config file '/etc/passwd' /etc/passwd is not inside the install dir /opt/app"),
        (#"config_files: [/opt/app/../../etc/passwd]"#, "app.yml:8:16: config file '/opt/app/../../etc/passwd'"),
        (#"exclude: ["**"]"#, "app.yml:8:12: 'exclude' pattern '**' leaves nothing to package"),
        (#"exclude: ["*"]"#, "app.yml:8:12: 'exclude' pattern '*' leaves nothing to package"),
    ] as [(String, String?)])
    func projectValuesPackagingWouldRefuseAreLocated(line: String, expected: String?) throws {
        let found = try Self.problems(line)
        if let expected {
            #expect(found.contains { $0.hasPrefix(expected) }, "\(found)")
        } else {
            #expect(found.isEmpty, "\(found)")
        }
    }

    @Test(arguments: ["maintainer: \"A <a@example.com>\\nX-Evil: 1\"", "license: \"MIT\\nEvil\""])
    func multiLineFieldsAreRefused(line: String) throws {
        // The field appears twice (the base one and this one), which is itself an error; replace instead.
        let key = String(line.prefix { $0 != ":" })
        let directory = FileManager.default.temporaryDirectory.path + "/rules-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        var lines = ["name: app", "maintainer: A <a@example.com>", "homepage: https://example.com", "version: \"1.0\"",
                     "dependencies: []", "license: MIT"]
        lines.removeAll { $0.hasPrefix(key + ":") }
        lines.append(line)
        try lines.joined(separator: "\n").write(toFile: directory + "/app.yml", atomically: true, encoding: .utf8)
        let error = #expect(throws: DefinitionError.self) {
            try ProjectLoader.load(path: directory + "/app.yml", displayPath: "app.yml", kinds: Extensions.standard)
        }
        #expect(error?.description.contains("app.yml:6:") == true && error?.description.contains("\(key) must be a single line") == true,
                "\(error?.description ?? "")")
    }

    @Test(arguments: [
        ("//usr", "'install_dir' /usr is a system directory"),
        ("/usr/sbin/", "'install_dir' /usr/sbin is a system directory"),
        ("/usr/lib/x86_64-linux-gnu", "'install_dir' /usr/lib/x86_64-linux-gnu is a system directory"),
        ("/mnt", "'install_dir' /mnt is a system directory"),
        ("/srv", "'install_dir' /srv is a system directory"),
        ("/opt/$(id)", "'install_dir' may only contain"),
        ("/opt/app", nil),
    ] as [(String, String?)])
    func installDirsAreComparedAfterNormalising(dir: String, expected: String?) throws {
        let directory = FileManager.default.temporaryDirectory.path + "/rules-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        try "name: app\nmaintainer: A <a@example.com>\nhomepage: https://example.com\nversion: \"1.0\"\ndependencies: []\ninstall_dir: \"\(dir)\"\n"
            .write(toFile: directory + "/app.yml", atomically: true, encoding: .utf8)
        var found: [String] = []
        do { _ = try ProjectLoader.load(path: directory + "/app.yml", displayPath: "app.yml", kinds: Extensions.standard) } catch {
            found = error.diagnostics.map(\.description)
        }
        if let expected {
            #expect(found.contains { $0.hasPrefix("app.yml:6:") && $0.contains(expected) }, "\(found)")
        } else {
            #expect(found.isEmpty, "\(found)")
        }
    }

    @Test(arguments: [
        ("1.0/../../../../tmp/x/escaped", "must not contain"),
        ("1.0 beta", "must contain a digit and no spaces"),
        ("v1.2.0", nil), ("1.2.0+1.gf109f2a", nil), ("3:1.0", nil), ("1.0~rc1", nil),
    ] as [(String, String?)])
    func versionsThatWouldReachAFileNameAreRefused(version: String, expected: String?) throws {
        let found = try Self.problems("iteration: 1").isEmpty ? try Self.problemsWithVersion(version) : []
        if let expected {
            #expect(found.contains { $0.hasPrefix("app.yml:4:") && $0.contains(expected) }, "\(found)")
        } else {
            #expect(found.isEmpty, "\(found)")
        }
    }

    static func problemsWithVersion(_ version: String) throws -> [String] {
        let directory = FileManager.default.temporaryDirectory.path + "/rules-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        try "name: app\nmaintainer: A <a@example.com>\nhomepage: https://example.com\nversion: \"\(version)\"\ndependencies: []\n"
            .write(toFile: directory + "/app.yml", atomically: true, encoding: .utf8)
        do { _ = try ProjectLoader.load(path: directory + "/app.yml", displayPath: "app.yml", kinds: Extensions.standard) } catch {
            return error.diagnostics.map(\.description)
        }
        return []
    }
}
