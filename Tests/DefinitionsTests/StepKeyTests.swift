import Definitions
import Testing

/// A key beside a step's name (`when:` most of all) is reported at that key, saying what is
/// wrong and what to write instead, never as "found a mapping".
@Suite struct StepKeyTests {
    static func problems(_ build: String) throws -> [String] {
        let scratch = try ScratchRepository()
        try scratch.write("Software/x.yml", ScratchRepository.validSoftware().replacingOccurrences(of: "build: []\n", with: build))
        return scratch.softwareError()?.diagnostics.map(\.description) ?? []
    }

    @Test func whenBesideAStepSaysStepsCannotBeConditional() throws {
        let found = try Self.problems("""
            build:
              - run: make check
                when: "{{version}} == 1"

            """)
        #expect(found == ["Software/x.yml:9:5: 'when' is not a step option (steps cannot be conditional yet; see docs/definitions.md, \"Build steps\")"])
    }

    @Test func whenInsideAStepBodySaysTheSame() throws {
        let found = try Self.problems("""
            build:
              - make: { args: [check], when: always }

            """)
        #expect(found == ["Software/x.yml:8:28: 'when' is not a step option (steps cannot be conditional yet; see docs/definitions.md, \"Build steps\")"])
    }

    @Test func anOptionOutdentedFromItsStepSaysWhereItBelongs() throws {
        let found = try Self.problems("""
            build:
              - copy:
                from: a
                to: b

            """)
        #expect(found.contains("Software/x.yml:9:5: 'from' is not a step option: a step is a mapping with exactly one key, the step's name; if 'from' belongs to 'copy', indent it under 'copy:'"))
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
                when: x

            """)
        #expect(found == ["Software/x.yml:8:5: unknown build step 'maek' (did you mean 'make'?)",
                          "Software/x.yml:9:5: 'when' is not a step option (steps cannot be conditional yet; see docs/definitions.md, \"Build steps\")"])
    }

    @Test func whenAsAStepOfItsOwn() throws {
        let found = try Self.problems("""
            build:
              - when: always

            """)
        #expect(found == ["Software/x.yml:8:5: 'when' is not a step option (steps cannot be conditional yet; see docs/definitions.md, \"Build steps\")"])
    }
}
