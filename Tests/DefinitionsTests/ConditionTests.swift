import Definitions
import Testing

/// `when:` conditions as definitions write them: what they mean against a platform's facts,
/// and every mistake reported where it is written.
@Suite struct ConditionTests {
    static let bookworm = ConditionFacts(platform: "debian-12", families: ["debian"], version: "12", architecture: "amd64")

    @Test(arguments: [
        (">= 12", "12", true), (">= 12", "11", false), ("> 12", "12.1", true), ("< 13", "12.10", true),
        ("12", "12.0", true), ("== 12.4", "12.4", true), ("!= 12", "13", true), ("<= 9", "10", false),
        (">= 12", "", false),
    ])
    func versionComparisons(written: String, version: String, holds: Bool) throws {
        let comparison = try #require(VersionComparison(written))
        #expect(comparison.holds(for: version) == holds)
    }

    @Test(arguments: ["=> 12", ">=", "twelve", "12.", ">= 12 beta", "-1"])
    func malformedComparisonsAreRejected(written: String) {
        #expect(VersionComparison(written) == nil)
    }

    @Test func hostFactsComeFromOsRelease() {
        let ubuntu = ConditionFacts(osRelease: """
            PRETTY_NAME="Ubuntu 24.04.1 LTS"
            ID=ubuntu
            ID_LIKE=debian
            VERSION_ID="24.04"
            """, architecture: "aarch64")
        #expect(ubuntu.platform == "ubuntu-24.04")
        #expect(ubuntu.families == ["ubuntu", "debian"])
        #expect(ubuntu.version == "24.04")
        #expect(ubuntu.architecture == "aarch64")
        // Both spellings of an architecture name one machine.
        #expect(ConditionFacts(platform: "x", families: [], version: "", architecture: "arm64").architecture == "aarch64")
        #expect(Condition.architecture(["aarch64"]).holds(for: ubuntu))
        #expect(Condition.platformFamily(["debian"]).holds(for: ubuntu))
        #expect(!Condition.platformFamily(["rhel"]).holds(for: ubuntu))
    }

    @Test func severalKeysAreAndedAListIsOredAndNotNegates() throws {
        let scratch = try ScratchRepository()
        try scratch.write("Software/x.yml", ScratchRepository.validSoftware().replacingOccurrences(of: "build: []\n", with: """
            build:
              - run: a
                when: { platform: [debian-11, debian-12], architecture: [arm64, x86_64] }
              - run: b
                when: { platform_family: debian, platform_version: ">= 13" }
              - run: c
                when: { not: { platform: debian-12 } }
              - run: d
                when: { with: tls, without: [legacy] }
              - run: e
                when: [{ platform: debian-13 }, { architecture: x86_64 }]

            """))
        let steps = try scratch.loadSoftware().build.map { try #require($0.value.condition) }
        var facts = Self.bookworm
        #expect(steps.map { $0.holds(for: facts) } == [true, false, false, false, true])
        #expect(!steps[4].holds(for: ConditionFacts(platform: "debian-12", families: ["debian"], version: "12", architecture: "arm64")))
        facts.flags = ["tls", "legacy"]
        #expect(steps[3].holds(for: facts) == false)
        facts.flags = ["tls"]
        #expect(steps[3].holds(for: facts))
        #expect(steps[3].flagReferences.map(\.value) == ["tls", "legacy"])
        #expect(steps[3].flagReferences.map(\.location.description) == ["Software/x.yml:15:19", "Software/x.yml:15:34"])
    }

    @Test func dependencyAndVersionChoiceMistakesAreLocated() throws {
        let scratch = try ScratchRepository()
        try scratch.write("Software/x.yml", """
            name: x
            default_version:
              - { version: "2", when: { platform: debian-13 } }
              - { version: "3", when: { platform_version: "~> 12" } }
              - { version: "1" }
              - "1"
            license: MIT
            dependencies:
              - zlib
              - { name: openssl, when: { platform_familly: rhel } }
              - { name: curl }
            versions:
              "1":
                source: { url: "https://example.com/x-1.tar.gz", sha256: \(String(repeating: "a", count: 64)) }
              "2":
                source: { url: "https://example.com/x-2.tar.gz", sha256: \(String(repeating: "b", count: 64)) }
            build: []

            """)
        let found = scratch.softwareError()?.diagnostics.map(\.description) ?? []
        #expect(found == [
            "Software/x.yml:4:17: 'default_version' 3 is not one of the defined versions (1, 2)",
            "Software/x.yml:4:48: 'default_version.when.platform_version': '~> 12' is not a version comparison; write a version such as \"12\" or \"12.4\", optionally after one of >= <= != == > < (\">= 12\")",
            "Software/x.yml:5:5: missing required key 'default_version.when' in a 'default_version' choice (the last item, a plain version, is the one used otherwise)",
            "Software/x.yml:10:30: unknown key 'dependencies.when.platform_familly' (did you mean 'dependencies.when.platform_family'?)",
            "Software/x.yml:11:5: dependency 'curl' is written as a mapping but has no 'when'; write it as a plain name",
        ])
    }

    @Test func versionChoicesAndPassEnvAreDecoded() throws {
        let scratch = try ScratchRepository()
        try scratch.write("Software/x.yml", ScratchRepository.validSoftware()
            .replacingOccurrences(of: "default_version: \"1\"\n", with: "default_version: [{ version: \"1\", when: { architecture: arm64 } }, \"1\"]\n")
            + "pass_env: [PIP_CERT]\n")
        let software = try scratch.loadSoftware()
        #expect(software.passEnv == ["PIP_CERT"])
        #expect(software.defaultVersion.value == "1")
        #expect(software.versionChoices.map(\.version.value) == ["1"])
    }
}
