import Definitions
import Testing

/// A key beside a step's name is either one every step accepts (`when:`, `env:`) or reported at
/// that key, saying what is wrong and what to write instead, never as "found a mapping".
@Suite struct StepKeyTests {
    static func problems(_ build: String) throws -> [String] {
        let scratch = try ScratchRepository()
        try scratch.write("Software/x.yml", ScratchRepository.validSoftware().replacingOccurrences(of: "build: []\n", with: build))
        return scratch.softwareError()?.diagnostics.map(\.description) ?? []
    }

    @Test func whenAndEnvBesideAStepAreDecodedOntoTheStep() throws {
        let scratch = try ScratchRepository()
        try scratch.write("Software/x.yml", ScratchRepository.validSoftware().replacingOccurrences(of: "build: []\n", with: """
            build:
              - run: make check
                when: { platform_family: [debian, ubuntu], architecture: amd64 }
                env: { CA_FILE: "{{install_dir}}/ssl/cert.pem" }
              - run: make install

            """))
        let software = try scratch.loadSoftware()
        #expect(software.build.count == 2)
        #expect(software.build[0].value.env == [EnvSetting(name: "CA_FILE", value: "{{install_dir}}/ssl/cert.pem")])
        let debian = ConditionFacts(platform: "debian-12", families: ["debian"], version: "12", architecture: "x86_64")
        let arm = ConditionFacts(platform: "debian-12", families: ["debian"], version: "12", architecture: "arm64")
        let rhel = ConditionFacts(platform: "rhel-9", families: ["rhel"], version: "9", architecture: "x86_64")
        let condition = try #require(software.build[0].value.condition)
        #expect(condition.holds(for: debian))
        #expect(!condition.holds(for: arm))
        #expect(!condition.holds(for: rhel))
        #expect(software.build[1].value.condition == nil && software.build[1].value.env.isEmpty)
    }

    @Test func aMalformedWhenBesideAStepIsReportedWhereItStands() throws {
        let found = try Self.problems("""
            build:
              - run: make check
                when: { platfrom_family: debian }

            """)
        #expect(found == ["Software/x.yml:9:13: unknown key 'run.when.platfrom_family' (did you mean 'run.when.platform_family'?)"])
    }

    @Test func whenInsideAStepBodySaysWhereItGoes() throws {
        let found = try Self.problems("""
            build:
              - make: { args: [check], when: always }

            """)
        #expect(found == ["Software/x.yml:8:28: 'when' goes beside the step's name, not inside its body: write '- make: ...' and 'when:' under it at the same indentation as 'make'"])
    }

    @Test func aStepEnvNameIsChecked() throws {
        let found = try Self.problems("""
            build:
              - run: make
                env: { "A=B": x, "": y, GOOD: "{{embeded}}" }

            """)
        #expect(found == [
            "Software/x.yml:9:12: 'A=B' is not a valid environment variable name (letters, digits and '_', not starting with a digit)",
            "Software/x.yml:9:22: '' is not a valid environment variable name (letters, digits and '_', not starting with a digit)",
            "Software/x.yml:9:36: unknown variable '{{embeded}}' (did you mean '{{embedded}}'?)",
        ])
    }

    @Test func anOptionOutdentedFromItsStepSaysWhereItBelongs() throws {
        let found = try Self.problems("""
            build:
              - copy:
                from: a
                to: b

            """)
        #expect(found.contains("Software/x.yml:9:5: 'from' is not a step option: beside the step's name a step accepts only when and env; if 'from' belongs to 'copy', indent it under 'copy:'"))
        #expect(found.contains { $0.hasPrefix("Software/x.yml:10:5: 'to' is not a step option") })
        #expect(!found.contains { $0.contains("found a mapping") })
    }

    @Test func twoStepsInOneItemAreNamed() throws {
        let found = try Self.problems("""
            build:
              - run: make
                make: []

            """)
        #expect(found == ["Software/x.yml:9:5: two steps in one list item ('run' and 'make'): start each step with its own '- '"])
    }

    @Test func noStepNameAtAllSuggestsOne() throws {
        let found = try Self.problems("""
            build:
              - maek: []
                when: { with: x }

            """)
        #expect(found == ["Software/x.yml:8:5: unknown build step 'maek' (did you mean 'make'?)"])
    }

    @Test func whenWithoutAStep() throws {
        let found = try Self.problems("""
            build:
              - when: { with: x }

            """)
        #expect(found.count == 1)
        #expect(found.first?.hasPrefix("Software/x.yml:8:5: a step with 'when' but no step: add one of run, configure, make,") == true)
    }
}
