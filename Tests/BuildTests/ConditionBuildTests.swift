import Foundation
import Testing

/// `when:`, step `env:` and per-software `pass_env` in real builds: what each changes in the
/// layer keys (judged by which software the second build compiles rather than restores), what
/// the steps see, and what the version manifest records.
@Suite(.serialized) struct ConditionBuildTests {
    /// `base` <- `feature` <- `top`, and `side` alone. Only `feature` tests the `extra` flag (a
    /// step and a dependency on `addon`); `side` tests the platform family, which no flag changes.
    func repository(_ label: String) throws -> TestRepository {
        let repo = try TestRepository(label)
        for name in ["base", "addon"] {
            try repo.localSoftware(name, steps: [#"mkdir: "{{embedded}}/share""#, "run: \"echo \(name) > $DESTDIR{{embedded}}/share/\(name)\""])
        }
        try repo.localSoftware("feature", dependencies: ["base", "{ name: addon, when: { with: extra } }"], steps: [
            #"mkdir: "{{embedded}}/share""#,
            #"run: "echo feature > $DESTDIR{{embedded}}/share/feature""#,
            "run: \"echo extra > $DESTDIR{{embedded}}/share/feature-extra\"\n    when: { with: extra }",
        ])
        try repo.localSoftware("top", dependencies: ["feature"],
                               steps: [#"mkdir: "{{embedded}}/share""#, #"run: "echo top > $DESTDIR{{embedded}}/share/top""#])
        try repo.localSoftware("side", steps: [
            #"mkdir: "{{embedded}}/share""#,
            "run: \"echo debian-like > $DESTDIR{{embedded}}/share/side\"\n    when: { platform_family: [debian, ubuntu] }",
            "run: \"echo other > $DESTDIR{{embedded}}/share/side\"\n    when: { not: { platform_family: [debian, ubuntu] } }",
        ])
        try repo.project(dependencies: ["top", "side"],
                         extra: "flags:\n  - { name: extra, description: The extra files, default: false }\n")
        return repo
    }

    @Test func aFlagRebuildsOnlyTheSoftwareWhoseConditionsItChanges() async throws {
        let repo = try repository("cond-flag")
        let off = try await repo.omnibus(["build", "app"])
        #expect(off.status == 0, "\(off.stdout)\(off.stderr)")
        #expect(CacheKeyTests.built(off) == ["base", "feature", "top", "side"])
        #expect(!FileManager.default.fileExists(atPath: repo.installDir + "/embedded/share/feature-extra"))

        let on = try await repo.omnibus(["build", "app", "--with", "extra"])
        #expect(on.status == 0, "\(on.stdout)\(on.stderr)")
        // feature's steps and dependencies changed, and top depends on it; base and side did not.
        #expect(CacheKeyTests.built(on) == ["addon", "feature", "top"], "built \(CacheKeyTests.built(on))")
        #expect(try String(contentsOfFile: repo.installDir + "/embedded/share/feature-extra", encoding: .utf8) == "extra\n")

        let offAgain = try await repo.omnibus(["build", "app", "--without", "extra"])
        #expect(offAgain.status == 0, "\(offAgain.stdout)\(offAgain.stderr)")
        #expect(CacheKeyTests.built(offAgain).isEmpty, "built \(CacheKeyTests.built(offAgain))")
        #expect(!FileManager.default.fileExists(atPath: repo.installDir + "/embedded/share/addon"))
    }

    @Test func theVersionManifestRecordsTheFlagsAndThePlatformFactsRead() async throws {
        let repo = try repository("cond-manifest")
        let result = try await repo.omnibus(["build", "app", "--with", "extra"])
        #expect(result.status == 0, "\(result.stdout)\(result.stderr)")
        let data = try Data(contentsOf: URL(fileURLWithPath: repo.installDir + "/version-manifest.json"))
        let manifest = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
        let conditions = try #require(manifest["conditions"] as? [String: Any])
        #expect(conditions["flags"] as? [String: Bool] == ["extra": true])
        // Only platform_family is read by a condition, so only it is recorded, as os-release says.
        let platform = try #require(conditions["platform"] as? [String: String])
        #expect(Array(platform.keys) == ["platform_family"])
        let osRelease = try String(contentsOfFile: "/etc/os-release", encoding: .utf8)
        let id = osRelease.split(separator: "\n").first { $0.hasPrefix("ID=") }.map { $0.dropFirst(3).replacingOccurrences(of: "\"", with: "") }
        #expect(platform["platform_family"]?.hasPrefix(try #require(id)) == true)
        let software = try #require(manifest["software"] as? [String: [String: Any]])
        #expect(software["feature"]?["dependencies"] as? [String] == ["base", "addon"])
    }

    @Test func aFlagThatChangesNoLayerStillChangesThePackagedManifest() async throws {
        let repo = try repository("cond-reuse")
        try repo.project(dependencies: ["top", "side"], extra: """
            flags:
              - { name: extra, description: The extra files }
              - { name: banner, description: Tested by nothing yet }

            """)
        #expect(try await repo.omnibus(["build", "app"], environment: PackageReuseTests.epoch).status == 0)
        let same = try await repo.omnibus(["build", "app"], environment: PackageReuseTests.epoch)
        #expect(same.status == 0 && CacheKeyTests.built(same).isEmpty)
        #expect(try PackageReuseTests.reused(repo) == true)
        let banner = try await repo.omnibus(["build", "app", "--with", "banner"], environment: PackageReuseTests.epoch)
        #expect(banner.status == 0, "\(banner.stdout)\(banner.stderr)")
        #expect(CacheKeyTests.built(banner).isEmpty, "built \(CacheKeyTests.built(banner))")
        // Same layers, but the manifest the packages carry says banner was on: packaged anew.
        #expect(try PackageReuseTests.reused(repo) == false)
        let manifest = try String(contentsOfFile: repo.installDir + "/version-manifest.json", encoding: .utf8)
        #expect(manifest.contains("\"banner\" : true"), "\(manifest)")
    }

    @Test func theGraphCommandShowsEachPlatformsOwnGraph() async throws {
        let repo = try TestRepository("cond-graph")
        for name in ["zlib", "openssl3", "openssl35"] { try repo.localSoftware(name, steps: []) }
        try repo.localSoftware("curl", dependencies: [
            "zlib", "{ name: openssl3, when: { platform: debian-12 } }", "{ name: openssl35, when: { platform_version: \">= 13\" } }",
        ], steps: [])
        try repo.project(dependencies: ["curl"])
        let bookworm = try await repo.omnibus(["graph", "app", "--platform", "debian-12"])
        let trixie = try await repo.omnibus(["graph", "app", "--platform", "debian-13"])
        #expect(bookworm.status == 0 && trixie.status == 0, "\(bookworm.stderr)\(trixie.stderr)")
        #expect(bookworm.stdout.hasSuffix("build order: zlib, openssl3, curl\n"), "\(bookworm.stdout)")
        #expect(trixie.stdout.hasSuffix("build order: zlib, openssl35, curl\n"), "\(trixie.stdout)")
        let unknown = try await repo.omnibus(["graph", "app", "--platform", "debian-21"])
        #expect(unknown.status != 0 && unknown.stderr.contains("unknown platform 'debian-21'"), "\(unknown.stderr)")
    }

    @Test func anUndeclaredWithFlagIsRefusedNamingTheDeclaredOnes() async throws {
        let repo = try repository("cond-undeclared")
        let result = try await repo.omnibus(["build", "app", "--with", "extras"])
        #expect(result.status == 2)
        #expect(result.stderr.contains("--with extras: project 'app' has no flag 'extras' (did you mean 'extra'?); it declares: extra"),
                "\(result.stderr)")
    }

    @Test func aStepEnvReachesOnlyThatStepAndIsPartOfItsKey() async throws {
        let repo = try TestRepository("cond-step-env")
        func write(_ value: String) throws {
            try repo.localSoftware("greeter", steps: [
                #"mkdir: "{{embedded}}/share""#,
                "run: \"echo \\\"$GREETING\\\" > $DESTDIR{{embedded}}/share/first\"\n    env: { GREETING: \"\(value) from {{install_dir}}\" }",
                #"run: "echo \"[$GREETING]\" > $DESTDIR{{embedded}}/share/second""#,
            ])
        }
        try write("hello")
        try repo.localSoftware("other", steps: [#"mkdir: "{{embedded}}/share""#, #"run: "echo other > $DESTDIR{{embedded}}/share/other""#])
        try repo.project(dependencies: ["greeter", "other"])
        let first = try await repo.omnibus(["build", "app"])
        #expect(first.status == 0, "\(first.stdout)\(first.stderr)")
        #expect(try String(contentsOfFile: repo.installDir + "/embedded/share/first", encoding: .utf8) == "hello from \(repo.installDir)\n")
        #expect(try String(contentsOfFile: repo.installDir + "/embedded/share/second", encoding: .utf8) == "[]\n")
        try write("bonjour")
        let again = try await repo.omnibus(["build", "app"])
        #expect(again.status == 0, "\(again.stdout)\(again.stderr)")
        #expect(CacheKeyTests.built(again) == ["greeter"])
        #expect(try String(contentsOfFile: repo.installDir + "/embedded/share/first", encoding: .utf8) == "bonjour from \(repo.installDir)\n")
    }

    @Test func passEnvOfOneSoftwareChangesOnlyItsKeyAndItsDependents() async throws {
        let repo = try repository("cond-pass-env")
        let definition = repo.root + "/Software/feature.yml"
        let withStep = try String(contentsOfFile: definition, encoding: .utf8)
            .replacingOccurrences(of: "  - run: \"echo feature", with: "  - run: \"echo \\\"[$PIP_CERT]\\\" > $DESTDIR{{embedded}}/share/pip\"\n  - run: \"echo feature")
        try repo.write("Software/feature.yml", withStep)
        let environment = ["PIP_CERT": "/etc/ssl/pip.pem"]
        let first = try await repo.omnibus(["build", "app"], environment: environment)
        #expect(first.status == 0, "\(first.stdout)\(first.stderr)")
        // Not passed yet: the build environment is cleared.
        #expect(try String(contentsOfFile: repo.installDir + "/embedded/share/pip", encoding: .utf8) == "[]\n")

        try repo.write("Software/feature.yml", withStep.replacingOccurrences(of: "build:\n", with: "pass_env: [PIP_CERT]\nbuild:\n"))
        let again = try await repo.omnibus(["build", "app"], environment: environment)
        #expect(again.status == 0, "\(again.stdout)\(again.stderr)")
        #expect(CacheKeyTests.built(again) == ["feature", "top"], "built \(CacheKeyTests.built(again))")
        #expect(try String(contentsOfFile: repo.installDir + "/embedded/share/pip", encoding: .utf8) == "[/etc/ssl/pip.pem]\n")
        // The variable's value is keyed for that software: another value rebuilds it (and top) again.
        let changed = try await repo.omnibus(["build", "app"], environment: ["PIP_CERT": "/other.pem"])
        #expect(changed.status == 0, "\(changed.stdout)\(changed.stderr)")
        #expect(CacheKeyTests.built(changed) == ["feature", "top"], "built \(CacheKeyTests.built(changed))")
    }
}
