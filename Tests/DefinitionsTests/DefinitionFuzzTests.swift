import Definitions
import Foundation
import OmnibusKit
import Testing
import TestSupport

/// Mutations of the shipped definitions (`Software/*.yml`, `Projects/*.yml`) through the loaders:
/// every input must end in a definition or a `DefinitionError` whose problems are located in the
/// file, bounded in number and printable, in bounded time; a crash ends the test run.
///
/// Short by default (a few thousand inputs from a fixed seed). docs/fuzzing.md:
/// `OMNIBUS_FUZZ_ITERATIONS=1000000 swift test --filter Fuzz` for a long run, `OMNIBUS_FUZZ_SEED`
/// for other inputs; the input being loaded is always at `<tmp>/omnibus-fuzz-yaml-<pid>/`, so
/// the one that crashed the run can be replayed.
@Suite(.ownThread) struct DefinitionFuzzTests {
    static let repositoryRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent().path
    static let iterations = ProcessInfo.processInfo.environment["OMNIBUS_FUZZ_ITERATIONS"].flatMap(Int.init) ?? 3_000
    /// The short run takes seconds; a long one is bounded by the time per input only.
    static let timeLimitMinutes = iterations <= 3_000 ? 10 : 7 * 24 * 60
    static let seed = ProcessInfo.processInfo.environment["OMNIBUS_FUZZ_SEED"].flatMap { UInt64($0, radix: 16) }
        ?? 0x0b5e_55ed_f00d_cafe
    /// Far above what any input takes (milliseconds); an unbounded expansion takes minutes.
    static let timePerInput: Duration = .seconds(3)

    /// Fragments that reach the interesting corners of YAML and of the definition readers.
    static let fragments: [String] = [
        "&a ", "*a", "*b", " &b [*a, *a, *a, *a]", "? ", ": ", "- ", "[", "]", "{", "}", ",", "\"", "'", "|", ">-",
        "#", "\n", "\n  ", "\n    - ", "\t", "\r\n", "\\0", "\\u202E", "\\x1b", "{{", "}}", "{{version}}", "~", "null",
        "!!str ", "!!binary ", "%YAML 1.1\n", "---\n", "...\n", "<<: *a", "\u{202E}", "\u{FEFF}", "\u{0}", "\u{85}",
        "\u{2028}", "é", "日本", "🙂", "\u{E000}", "source: ", "build: ", "run: ", "env: ", "versions: ", "dependencies: ",
        "sha256: ", "0123456789abcdef", "-1", "99999999999999999999", "true", "yes",
    ]

    struct Seed {
        let name: String
        let isProject: Bool
        let bytes: [UInt8]
    }

    static func seeds() throws -> [Seed] {
        var seeds: [Seed] = []
        for (directory, isProject) in [("Software", false), ("Projects", true)] {
            let path = repositoryRoot + "/" + directory
            for file in try FileManager.default.contentsOfDirectory(atPath: path).sorted() where file.hasSuffix(".yml") {
                let bytes = try [UInt8](Data(contentsOf: URL(fileURLWithPath: path + "/" + file)))
                seeds.append(Seed(name: String(file.dropLast(4)), isProject: isProject, bytes: bytes))
            }
        }
        return seeds
    }

    @Test(.timeLimit(.minutes(DefinitionFuzzTests.timeLimitMinutes)))
    func loadersEndEveryMutatedDefinitionInAValueOrALocatedError() throws {
        let seeds = try Self.seeds()
        #expect(seeds.count >= 10, "the shipped definitions are the seeds")
        let scratch = FileManager.default.temporaryDirectory.appendingPathComponent("omnibus-fuzz-yaml-\(getpid())").path
        for directory in ["Software", "Projects"] {
            try FileManager.default.createDirectory(atPath: scratch + "/" + directory, withIntermediateDirectories: true)
        }
        defer { try? FileManager.default.removeItem(atPath: scratch) }
        var random = FuzzRandom(seed: Self.seed)
        let clock = ContinuousClock()
        var outcomes = (loaded: 0, refused: 0)
        var slowest: Duration = .zero
        for iteration in 0..<Self.iterations {
            let seed = seeds[random.below(seeds.count)]
            let other = seeds[random.below(seeds.count)]
            let input = Self.mutate(seed.bytes, splicing: other.bytes, using: &random)
            let directory = seed.isProject ? "Projects" : "Software"
            let path = "\(scratch)/\(directory)/\(seed.name).yml"
            try Data(input).write(to: URL(fileURLWithPath: path))
            let shown = "\(directory)/\(seed.name).yml"
            let start = clock.now
            let error: DefinitionError?
            do throws(DefinitionError) {
                if seed.isProject {
                    _ = try ProjectLoader.load(path: path, displayPath: shown, kinds: Extensions.standard)
                } else {
                    _ = try SoftwareLoader.load(path: path, displayPath: shown, kinds: Extensions.standard)
                }
                error = nil
            } catch let thrown {
                error = thrown
            }
            let elapsed = clock.now - start
            slowest = max(slowest, elapsed)
            let replay = "iteration \(iteration) of seed \(String(Self.seed, radix: 16)) (\(seed.name))"
            #expect(elapsed < Self.timePerInput, "\(replay) took \(elapsed)")
            guard let error else {
                outcomes.loaded += 1
                continue
            }
            outcomes.refused += 1
            #expect(!error.diagnostics.isEmpty, "\(replay): an error with no problem")
            #expect(error.diagnostics.count <= DefinitionLimits.problemsKept, "\(replay)")
            for diagnostic in error.diagnostics {
                #expect(diagnostic.location?.file == shown, "\(replay): \(diagnostic)")
                #expect(!diagnostic.message.isEmpty, "\(replay)")
            }
            let printed = error.description
            #expect(printed.split(separator: "\n").count <= DefinitionLimits.problemsShown + 1, "\(replay)")
            #expect(!printed.unicodeScalars.contains(where: Self.isUnprintable), "\(replay): \(printed)")
        }
        // Both ends must be reached, or the mutations are too tame or too wild to test anything.
        #expect(outcomes.loaded > 0 && outcomes.refused > Self.iterations / 4, "\(outcomes)")
        #expect(slowest < Self.timePerInput)
    }

    /// What a printed problem must never hold raw: controls (the newline only between problems)
    /// and bidi overrides.
    static func isUnprintable(_ scalar: Unicode.Scalar) -> Bool {
        scalar != "\n" && (scalar.value < 0x20 || (0x7F...0x9F).contains(scalar.value)
            || (0x202A...0x202E).contains(scalar.value) || (0x2066...0x2069).contains(scalar.value))
    }

    /// One to four mutations: byte flips, truncation, fragment insertion, deletion, a repeated
    /// section, or a splice from another seed.
    static func mutate(_ original: [UInt8], splicing other: [UInt8], using random: inout FuzzRandom) -> [UInt8] {
        var bytes = original
        for _ in 0..<(1 + random.below(4)) {
            let at = random.below(bytes.count + 1)
            switch random.below(7) {
            case 0:
                guard !bytes.isEmpty else { continue }
                let index = min(at, bytes.count - 1)
                bytes[index] = random.below(10) < 7 ? UInt8(32 + random.below(95)) : UInt8(random.below(256))
            case 1:
                bytes.removeSubrange(at...)
            case 2:
                bytes.insert(contentsOf: Array(fragments[random.below(fragments.count)].utf8), at: at)
            case 3:
                bytes.removeSubrange(at..<min(bytes.count, at + 1 + random.below(64)))
            case 4:
                let end = min(bytes.count, at + 1 + random.below(200))
                let section = Array(bytes[at..<end])
                for _ in 0..<(1 + random.below(8)) { bytes.insert(contentsOf: section, at: end) }
            case 5:
                guard !other.isEmpty else { continue }
                let from = random.below(other.count)
                let piece = other[from..<min(other.count, from + 1 + random.below(300))]
                bytes.replaceSubrange(at..<min(bytes.count, at + random.below(100)), with: piece)
            default:
                // Anchor a line and alias it further on, as a person reusing a value would.
                guard let line = bytes[at...].firstIndex(of: UInt8(ascii: "\n")) else { continue }
                bytes.insert(contentsOf: Array(" &r".utf8), at: line)
                bytes.append(contentsOf: Array("\nreused: [*r, *r, *r]\n".utf8))
            }
        }
        return bytes
    }
}

/// xorshift64: small, fast and the same on every machine, so a seed replays its inputs.
struct FuzzRandom {
    private var state: UInt64

    init(seed: UInt64) {
        state = seed == 0 ? 0x9e37_79b9_7f4a_7c15 : seed
    }

    mutating func next() -> UInt64 {
        state ^= state << 13
        state ^= state >> 7
        state ^= state << 17
        return state
    }

    /// A number in 0..<bound (0 when bound is 0).
    mutating func below(_ bound: Int) -> Int {
        bound <= 0 ? 0 : Int(next() % UInt64(bound))
    }
}
