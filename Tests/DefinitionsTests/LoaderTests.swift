import Definitions
import Digest
import Fetch
import OmnibusKit
import Foundation
import Testing

/// Loading valid definitions: types, defaults, and strings kept exactly as written.
@Suite struct LoaderTests {
    let dir: URL

    init() throws {
        dir = FileManager.default.temporaryDirectory.appendingPathComponent("loader-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
    }

    func write(_ name: String, _ text: String) throws -> String {
        let path = dir.appendingPathComponent(name).path
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    @Test func versionStringsStayStrings() throws {
        let path = try write("lib.yml", """
            name: lib
            default_version: 1.10
            license: MIT
            versions:
              1.10:
                source: { url: "https://example.com/lib-1.10.tar.gz", sha256: \(String(repeating: "a", count: 64)) }
              1.1:
                source: { url: "https://example.com/lib-1.1.tar.gz", sha256: \(String(repeating: "b", count: 64)) }
            build: []
            """)
        let software = try SoftwareLoader.load(path: path, displayPath: "lib.yml", kinds: Extensions.standard)
        #expect(software.defaultVersion.value == "1.10")
        #expect(software.versionNames == ["1.1", "1.10"])
        #expect(software.versions["1.10"]?.source.kind as? URLSource
                == URLSource(url: URL(string: "https://example.com/lib-1.10.tar.gz")!,
                             checksum: try Checksum(.sha256, String(repeating: "a", count: 64))))
    }

    @Test func projectDefaults() throws {
        let path = try write("web.yml", """
            name: web
            maintainer: Web Team <web@example.com>
            homepage: https://example.com
            version: 2.0.0
            dependencies: []
            """)
        let project = try ProjectLoader.load(path: path, displayPath: "web.yml", kinds: Extensions.standard)
        #expect(project.installDir == "/opt/web")
        #expect(project.embeddedDir == "/opt/web/embedded")
        #expect(project.iteration == 1)
        #expect(project.version == .literal("2.0.0"))
        #expect(project.package.formats == ["deb", "rpm", "tar"])
        #expect(project.package.user == "root" && project.package.group == "root")
        #expect(project.healthCheck.enabled)
    }

    /// `sh` is registered but opt-in: a project that names no formats keeps getting exactly
    /// deb, rpm and tar; one that lists `sh` gets it, with its `package.sh` options.
    @Test func theShFormatIsWrittenOnlyWhenListed() throws {
        let listed = try write("inst.yml", """
            name: inst
            maintainer: Web Team <web@example.com>
            homepage: https://example.com
            version: 2.0.0
            dependencies: []
            package:
              formats: [tar, sh]
              sh: { compression: xz }
            """)
        let project = try ProjectLoader.load(path: listed, displayPath: "inst.yml", kinds: Extensions.standard)
        #expect(project.package.formats == ["tar", "sh"])
        #expect(project.package.options["sh"]?.compression == .xz)
        let unlisted = try write("plain.yml", "name: plain\nmaintainer: A <a@example.com>\nhomepage: h\nversion: \"1\"\ndependencies: []\n")
        let plain = try ProjectLoader.load(path: unlisted, displayPath: "plain.yml", kinds: Extensions.standard)
        #expect(plain.package.formats == ["deb", "rpm", "tar"])
        #expect(plain.package.options["sh"]?.compression == .gzip)
        let unknownKey = try write("bad.yml", "name: bad\nmaintainer: A <a@example.com>\nhomepage: h\nversion: \"1\"\ndependencies: []\npackage: { sh: { target: /x } }\n")
        do {
            _ = try ProjectLoader.load(path: unknownKey, displayPath: "bad.yml", kinds: Extensions.standard)
            Issue.record("an unknown package.sh key was accepted")
        } catch {
            #expect("\(error)".contains("unknown key 'package.sh.target'"), "\(error)")
        }
    }

    @Test func projectVersionSources() throws {
        let git = try write("a1.yml", "name: a1\nmaintainer: A <a@example.com>\nhomepage: h\nversion: { from: git }\ndependencies: []\n")
        #expect(try ProjectLoader.load(path: git, displayPath: "a1.yml", kinds: Extensions.standard).version == .gitDescribe)
        let env = try write("a2.yml", "name: a2\nmaintainer: A <a@example.com>\nhomepage: h\nversion: { from: env, variable: A_VERSION, default: \"0.1\" }\ndependencies: []\n")
        #expect(try ProjectLoader.load(path: env, displayPath: "a2.yml", kinds: Extensions.standard).version == .environment(variable: "A_VERSION", fallback: "0.1"))
    }

    @Test func stepsDecodeToStructuredForms() throws {
        let path = try write("tool.yml", """
            name: tool
            default_version: "2"
            license: MIT
            versions:
              "2":
                source: { git: "https://example.com/tool.git", commit: 0123456789ABCDEF0123456789abcdef01234567 }
            env: { CFLAGS_EXTRA: "-I{{embedded}}/include" }
            build:
              - configure: { script: ./Configure, args: [shared], prefix: false }
              - make: { args: [install], parallel: false }
              - run: "echo {{version}}"
              - link: { target: ../embedded/bin/tool, path: "{{install_dir}}/bin/tool" }
            """)
        let software = try SoftwareLoader.load(path: path, displayPath: "tool.yml", kinds: Extensions.standard)
        #expect(software.build.map(\.value.keyText) == [
            #"configure(script: "./Configure", args: ["shared"], prefix: false)"#,
            #"make(args: ["install"], parallel: false)"#,
            #"run("echo {{version}}")"#,
            #"link(target: "../embedded/bin/tool", path: "{{install_dir}}/bin/tool")"#,
        ])
        #expect(software.env == [EnvSetting(name: "CFLAGS_EXTRA", value: "-I{{embedded}}/include")])
        #expect(software.versions["2"]?.source.kind as? GitSource
                == GitSource(repository: "https://example.com/tool.git", commit: "0123456789abcdef0123456789abcdef01234567"))
    }

    @Test func interpolationRendersKnownVariablesAndRejectsOthers() throws {
        let values = ["embedded": "/opt/x/embedded", "jobs": "4"]
        #expect(try Interpolation.render("-I{{embedded}}/include -j{{ jobs }}", values: values)
                == "-I/opt/x/embedded/include -j4")
        #expect(throws: Interpolation.Failure.unknownVariable(name: "nope", offset: 3)) {
            try Interpolation.render("ab {{nope}}", values: values)
        }
        #expect(throws: Interpolation.Failure.unclosed(offset: 0)) { try Interpolation.render("{{jobs", values: values) }
    }

    @Test func suggestionsFindTyposOnly() {
        #expect(Suggestion.closest(to: "sha265", in: ["sha256", "sha512", "url"]) == "sha256")
        #expect(Suggestion.closest(to: "maek", in: Extensions.standard.stepNames) == "make")
        #expect(Suggestion.closest(to: "zzzzzz", in: ["name", "version"]) == nil)
    }
}
