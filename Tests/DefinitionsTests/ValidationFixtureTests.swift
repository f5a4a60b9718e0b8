import Foundation
import OmnibusKit
import Testing

/// Each fixture is a small packaging repository with one kind of mistake; `validate` must report
/// exactly these lines (file:line:column and message), all of them, in this order.
@Suite struct ValidationFixtureTests {
    static let fixtures = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures")

    static let expectations: [(String, [String])] = [
    ("alias-bomb", [
        "Software/zlib.yml:18:10: too many alias expansions: expanding '*l4' here takes the document past 10000 (an alias inside an anchored value counts each time that value is used); write the values out or nest fewer aliases",
    ]),
    ("bad-env-version", [
        "Projects/app.yml:4:18: 'version.from' must be 'git' or 'env', found 'environment'",
        "Projects/app.yml:4:31: unknown key 'version.varable' (did you mean 'version.variable'?)",
    ]),
    ("bad-maintainer", [
        "Projects/app.yml:2:13: 'maintainer' must look like 'Name <email@example.com>', found 'ops team'",
    ]),
    ("cycle", [
        "Software/c.yml:4:16: dependency cycle: a -> b -> c -> a",
    ]),
    ("default-version-undefined", [
        "Software/zlib.yml:2:19: 'default_version' 1.3 is not one of the defined versions (1.0)",
    ]),
    ("duplicate-key", [
        "Projects/app.yml:6:1: duplicate key 'version' (first at 4:1); each key may appear once in a mapping",
    ]),
    ("empty-formats", [
        "Projects/app.yml:7:3: 'package.formats' must name at least one of: deb, rpm, tar, sh",
    ]),
    ("empty-file", [
        "Projects/app.yml:1:1: the file is empty; expected a mapping of definition keys",
    ]),
    ("git-commit-not-pinned", [
        "Software/tool.yml:9:15: 'commit' must be a full 40-hex-digit commit id, found 'main' (branches and tags move; pin the commit)",
    ]),
    ("git-with-checksum", [
        "Software/tool.yml:10:7: 'sha256' does not apply to a git source (it is pinned by 'commit')",
    ]),
    ("nul-in-string", [
        #"Software/zlib.yml:11:11: '-O2\u{0} -fno-stack-protector' contains a NUL character (\u{0}); no definition string may, as a command or environment value would silently end at it"#,
        #"Software/zlib.yml:13:10: 'make check\u{0} && rm -rf /' contains a NUL character (\u{0}); no definition string may, as a command or environment value would silently end at it"#,
    ]),
    ("path-exclude-misused", [
        "Software/tool.yml:9:28: 'exclude' patterns are relative to the path source and stay inside it, found '/abs'",
        "Software/tool.yml:9:36: 'exclude' patterns are relative to the path source and stay inside it, found '../up'",
        "Software/tool.yml:14:7: 'exclude' does not apply to a url source",
    ]),
    ("install-dir-relative", [
        "Projects/app.yml:6:14: 'install_dir' must be an absolute path such as /opt/app, found 'opt/app'",
    ]),
    ("install-dir-system", [
        "Projects/app.yml:6:14: 'install_dir' /usr is a system directory; use a directory of the project's own such as /opt/app",
    ]),
    ("invalid-project-name", [
        "Projects/App_Server.yml:1:7: project name 'App_Server' is not a valid package name: use lowercase letters, digits, '+', '-' and '.', starting with a letter or digit, at least two characters",
    ]),
    ("malformed-checksum", [
        "Software/zlib.yml:9:15: 'sha256' must be 64 hexadecimal digits, found 63 characters",
    ]),
    ("many-problems", [
        "Projects/app.yml:5:12: 'iteration' must be 1 or more, found 0",
        "Projects/app.yml:6:22: dependency 'zlib' is listed twice (first at 6:16)",
        "Projects/app.yml:7:1: unknown key 'licence' (did you mean 'license'?)",
        "Software/zlib.yml:10:5: unknown key 'relative_pth' (did you mean 'relative_path'?)",
    ]),
    ("missing-patch-file", [
        "Software/zlib.yml:11:12: patch file 'patches/zlib/fix-build.patch' not found (paths are relative to Software/)",
    ]),
    ("missing-required", [
        "Projects/app.yml:1:1: missing required key 'maintainer' in the project",
    ]),
    ("name-mismatch", [
        "Software/zlib.yml:1:7: name 'zlibb' does not match the file name (expected 'zlib')",
    ]),
    ("non-hex-checksum", [
        "Software/zlib.yml:9:15: 'sha512' must be 128 hexadecimal digits, found a non-hex character",
    ]),
    ("override-not-in-graph", [
        "Projects/app.yml:6:24: override for 'openssl', which is not in the project's dependency graph",
    ]),
    ("override-unknown-version", [
        "Projects/app.yml:7:10: override pins zlib to '1.10', which Software/zlib.yml does not define (defined: 1.0)",
    ]),
    ("root-not-mapping", [
        "Projects/app.yml:1:1: a project definition must be a mapping of keys (name, maintainer, homepage, description, license, install_dir, version, iteration, dependencies, overrides, runtime_dependencies, conflicts, replaces, provides, config_files, files, users, groups, exclude, pass_env, require_license_files, package, health_check, platforms, smoke_test, flags), found a list",
    ]),
    ("source-two-kinds", [
        "Software/zlib.yml:8:7: a source has exactly one of url, git, path, pypi; found url and git",
    ]),
    ("unknown-dependency", [
        "Projects/app.yml:5:16: unknown software 'zlbi' (did you mean 'zlib'?); looked in: Software/, Library/",
    ]),
    ("unknown-format", [
        "Projects/app.yml:7:18: 'package.formats' has unknown value 'rmp' (did you mean 'rpm'?)",
        "Projects/app.yml:8:3: unknown key 'package.usr' (did you mean 'package.user'?)",
    ]),
    ("unknown-key", [
        "Software/zlib.yml:8:7: a url source needs a checksum: add 'sha256: <64 hex digits>' or 'sha512: <128 hex digits>'",
        "Software/zlib.yml:9:7: unknown key 'sha265' (did you mean 'sha256'?)",
    ]),
    ("unknown-step", [
        "Software/zlib.yml:11:5: unknown build step 'maek' (did you mean 'make'?)",
        "Software/zlib.yml:12:5: a build step is a mapping: write '- make: []' (or with arguments), not '- make'",
    ]),
    ("unknown-variable", [
        "Software/zlib.yml:11:27: unknown variable '{{embeded}}' (did you mean '{{embedded}}'?)",
        "Software/zlib.yml:12:29: unknown variable '{{verbose}}' (known: {{install_dir}}, {{embedded}}, {{version}}, {{jobs}}, {{destdir}}, {{source_dir}}, {{project}})",
    ]),
    ("url-without-checksum", [
        "Software/zlib.yml:8:7: a url source needs a checksum: add 'sha256: <64 hex digits>' or 'sha512: <128 hex digits>'",
    ]),
    ("wrong-type-list", [
        "Projects/app.yml:5:15: 'dependencies' must be a list of strings, found 'zlib'",
    ]),
    ("wrong-type", [
        "Projects/app.yml:6:12: 'iteration' must be a whole number, found 'first'",
    ]),
    ("yaml-syntax", [
        "Projects/app.yml:3:11: YAML syntax error: mapping values are not allowed in this context",
    ]),
    ("empty-versions", [
        "Software/zlib.yml:4:11: 'versions' must define at least one version",
    ]),
    ("empty-url", [
        "Software/zlib.yml:7:7: 'url' needs a value",
    ]),
    ("unused-software-problems", [
        "Projects/app.yml:4:56: 'version.default' must contain a digit and no spaces, found 'latest version'",
        "Projects/app.yml:5:12: 'iteration' must be a whole number, found '2' (write it without quotes)",
        "Software/orphan.yml:4:16: unknown software 'libbar'; looked in: Software/, Library/",
        "Software/tool.yml:7:24: 'sha256' does not apply to a path source (it is hashed by content)",
        "Software/tool.yml:8:8: 'GOOD-NAME' is not a valid environment variable name (letters, digits and '_', not starting with a digit)",
        "Software/tool.yml:10:55: 'patch.strip' must be 0 or more, found -1",
        "Software/tool.yml:11:26: unknown variable '{{jobz}}' (did you mean '{{jobs}}'?)",
    ]),
    ]

    @Test(arguments: expectations.map(\.0))
    func reportsExactProblem(fixture: String) throws {
        let expected = try #require(Self.expectations.first { $0.0 == fixture }).1
        let root = Self.fixtures.appendingPathComponent(fixture).path
        let workspace = try Workspace(root: root, environment: ["OMNIBUS_LIBRARY": root + "/Library"])
        let report = workspace.validate()
        #expect(report.problems.map(\.description) == expected)
    }

    @Test func everyFixtureDirectoryHasAnExpectation() throws {
        let directories = try FileManager.default.contentsOfDirectory(atPath: Self.fixtures.path).sorted()
        #expect(directories == Self.expectations.map(\.0).sorted())
        #expect(directories.count >= 15)
    }
}
