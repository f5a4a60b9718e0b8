import Definitions
import Foundation
import Graph
import OmnibusKit
import Testing

/// `when:` is evaluated before the graph is built: what a condition excludes on a platform or
/// with a flag is not in that graph at all.
@Suite struct ConditionGraphTests {
    let root: URL

    init() throws {
        root = FileManager.default.temporaryDirectory.appendingPathComponent("conditions-\(UUID().uuidString)")
        for dir in ["Projects", "Software"] {
            try FileManager.default.createDirectory(at: root.appendingPathComponent(dir), withIntermediateDirectories: true)
        }
    }

    func write(_ relative: String, _ text: String) throws {
        try text.write(to: root.appendingPathComponent(relative), atomically: true, encoding: .utf8)
    }

    func software(_ name: String, dependencies: String = "[]", defaultVersion: String = "\"1.0\"", versions: [String] = ["1.0"],
                  build: String = "build: []") throws {
        let versionLines = versions.map { version in
            "  \"\(version)\":\n    source: { url: \"https://example.com/\(name)-\(version).tgz\", sha256: \(String(repeating: "a", count: 64)) }\n"
        }.joined()
        try write("Software/\(name).yml", "name: \(name)\ndefault_version: \(defaultVersion)\nlicense: MIT\ndependencies: \(dependencies)\nversions:\n\(versionLines)\(build)\n")
    }

    func project(dependencies: String, extra: String = "") throws {
        try write("Projects/app.yml", "name: app\nmaintainer: A <a@example.com>\nhomepage: https://example.com\nversion: \"1\"\ndependencies: \(dependencies)\n\(extra)")
    }

    var workspace: Workspace {
        get throws { try Workspace(root: root.path, environment: ["OMNIBUS_LIBRARY": "/nonexistent"]) }
    }

    func order(platform: String? = nil, with: [String] = [], without: [String] = []) throws -> [String] {
        try workspace.resolve("app", platform: platform, flags: FlagChoices(with: with, without: without)).order.map(\.name)
    }

    /// `omnibus mirror` serves the offline builds of every platform and flag: the file of a
    /// version that a `default_version` choice picks only on debian-13 is planned too, once.
    @Test func theMirrorPlansTheFileOfEveryVersionAChoiceCanPick() throws {
        try write("Software/lib.yml", """
            name: lib
            default_version:
              - { version: "2", when: { platform: debian-13 } }
              - { version: "2", when: { architecture: [aarch64] } }
              - "1"
            license: MIT
            dependencies: []
            versions:
              "1": { source: { file: lib_1.orig.tar.gz, sha256: \(String(repeating: "1", count: 64)), debian: lib } }
              "2": { source: { file: lib_2.orig.tar.gz, sha256: \(String(repeating: "2", count: 64)), debian: "lib=2-1" } }
            build: []
            """)
        try project(dependencies: "[lib]")
        let plan = MirrorPlan(graph: try workspace.resolveUnderEveryCondition("app"))
        #expect(plan.requests.map(\.fileName) == ["lib_1.orig.tar.gz", "lib_2.orig.tar.gz"])
        #expect(plan.requests.map(\.version) == [nil, "2-1"])
    }

    @Test func dependenciesThatDifferByPlatformNameResolveTwoGraphs() throws {
        try software("zlib")
        try software("openssl3")
        try software("openssl35")
        try software("curl", dependencies: """

              - zlib
              - { name: openssl3, when: { platform: debian-12 } }
              - { name: openssl35, when: { platform: debian-13 } }
            """)
        try project(dependencies: "[curl]")
        #expect(try order(platform: "debian-12") == ["zlib", "openssl3", "curl"])
        #expect(try order(platform: "debian-13") == ["zlib", "openssl35", "curl"])
        let bookworm = try workspace.resolve("app", platform: "debian-12", flags: FlagChoices())
        #expect(bookworm["curl"]?.dependencies == ["zlib", "openssl3"])
        #expect(bookworm["openssl35"] == nil)
        // The graph command shows each platform's own graph.
        let text = try workspace.renderGraph("app", as: .text, platform: "debian-13")
        #expect(text.contains("openssl35") && !text.contains("openssl3 "))
    }

    @Test func projectFlagsTurnDependenciesStepsAndVersionsOnAndOff() throws {
        try software("zlib")
        try software("libtls")
        try software("app-core", dependencies: "[zlib, { name: libtls, when: { with: tls } }]",
                     defaultVersion: "[{ version: \"2.0\", when: { with: tls } }, \"1.0\"]", versions: ["1.0", "2.0"],
                     build: """
                        build:
                          - run: ./configure --with-tls
                            when: { with: tls }
                          - run: ./configure --without-tls
                            when: { without: tls }
                          - run: make
                        """)
        try project(dependencies: "[app-core]", extra: "flags:\n  - { name: tls, description: TLS through libtls, default: false }\n")
        #expect(try order() == ["zlib", "app-core"])
        #expect(try order(with: ["tls"]) == ["zlib", "libtls", "app-core"])
        let on = try workspace.resolve("app", flags: FlagChoices(with: ["tls"]))
        let off = try workspace.resolve("app", flags: FlagChoices())
        #expect(on["app-core"]?.version.version == "2.0")
        #expect(off["app-core"]?.version.version == "1.0")
        #expect(on["app-core"]?.steps.map(\.value.summary) == ["run: ./configure --with-tls", "run: make"])
        #expect(off["app-core"]?.steps.map(\.value.summary) == ["run: ./configure --without-tls", "run: make"])
        #expect(on.facts?.flags == ["tls"])
    }

    @Test func flagsDefaultOnAndWithoutTurnsThemOff() throws {
        try software("zlib")
        try project(dependencies: "[{ name: zlib, when: { with: compression } }]",
                    extra: "flags:\n  - { name: compression, description: zlib, default: true }\n")
        #expect(try order() == ["zlib"])
        #expect(try order(without: ["compression"]) == [])
    }

    @Test func aFlagNoProjectDeclaresIsReportedWhereItIsTested() throws {
        try software("zlib", build: "build:\n  - run: make\n    when: { with: sssl }")
        try project(dependencies: "[zlib]", extra: "flags:\n  - { name: ssl, description: TLS }\n")
        let report = try workspace.validate()
        #expect(report.problems.map(\.description) == [
            "Software/zlib.yml:10:19: flag 'sssl' is not declared by project 'app' (did you mean 'ssl'?); it declares: ssl",
        ])
    }

    @Test func withAnUndeclaredFlagNamesTheDeclaredOnes() throws {
        try software("zlib")
        try project(dependencies: "[zlib]", extra: "flags:\n  - { name: ssl, description: TLS }\n  - { name: gui, description: X11 }\n")
        let error = #expect(throws: DefinitionError.self) { try order(with: ["ssh"]) }
        #expect(error?.description == "--with ssh: project 'app' has no flag 'ssh' (did you mean 'ssl'?); it declares: ssl, gui")
    }

    @Test func anOverrideOfSoftwareExcludedOnThisPlatformIsNoError() throws {
        try software("openssl3", defaultVersion: "\"3.0\"", versions: ["3.0", "3.5"])
        try project(dependencies: "[{ name: openssl3, when: { platform: debian-12 } }]", extra: "overrides: { openssl3: \"3.5\" }\n")
        #expect(try order(platform: "debian-13") == [])
        #expect(try workspace.resolve("app", platform: "debian-12", flags: FlagChoices())["openssl3"]?.version.version == "3.5")
    }

    @Test func architectureIsTestedInEitherSpelling() throws {
        try software("x86-only")
        try software("arm-only")
        try project(dependencies: "[{ name: x86-only, when: { architecture: amd64 } }, { name: arm-only, when: { architecture: aarch64 } }]")
        let machine = ConditionFacts(platform: "x", families: [], version: "", architecture: ProcessInfo.processInfo.machine).architecture
        let expected = machine == "x86_64" ? ["x86-only"] : machine == "aarch64" ? ["arm-only"] : []
        #expect(try order(platform: "debian-12") == expected)
    }
}

extension ProcessInfo {
    /// `uname -m`, read the way the tool reads it.
    var machine: String {
        var names = utsname()
        uname(&names)
        return withUnsafeBytes(of: &names.machine) { String(decoding: $0.prefix { $0 != 0 }, as: UTF8.self) }
    }
}
