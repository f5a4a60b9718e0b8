import Foundation
import Testing
import TestSupport
@testable import Linkage

/// Mutations of real ELF files (`/bin/true` and a shared library of the system) through the ELF
/// reader, the loader-faithful resolver and the health check: every input must end in a result
/// or an `ELFError` naming the file, in bounded time; a crash ends the test run.
///
/// Short by default (a few thousand inputs from a fixed seed). docs/fuzzing.md:
/// `OMNIBUS_FUZZ_ITERATIONS=1000000 swift test --filter Fuzz` for a long run, `OMNIBUS_FUZZ_SEED`
/// for other inputs; the input being read is always at `<tmp>/omnibus-fuzz-elf-<pid>/`.
@Suite(.ownThread) struct ELFFuzzTests {
    static let iterations = ProcessInfo.processInfo.environment["OMNIBUS_FUZZ_ITERATIONS"].flatMap(Int.init) ?? 3_000
    /// The short run takes seconds; a long one is bounded by the time per input only.
    static let timeLimitMinutes = iterations <= 3_000 ? 10 : 7 * 24 * 60
    static let seed = ProcessInfo.processInfo.environment["OMNIBUS_FUZZ_SEED"].flatMap { UInt64($0, radix: 16) }
        ?? 0x0e1f_f00d_5eed_0001
    /// A file costs a few `pread`s and some lookups; anything near this is a loop.
    static let timePerInput: Duration = .seconds(3)
    /// How often the whole health check runs over the input (it walks and judges a directory).
    static let healthCheckEvery = 16

    /// `/bin/true` and the first shared library found among a few that every system has.
    static func seeds() throws -> [(name: String, bytes: [UInt8])] {
        let libraries = ["/usr/lib/x86_64-linux-gnu", "/lib/x86_64-linux-gnu", "/usr/lib/aarch64-linux-gnu", "/usr/lib64", "/usr/lib"]
            .flatMap { directory in ["libz.so.1", "libm.so.6", "libc.so.6"].map { directory + "/" + $0 } }
        let library = try #require(libraries.first { ELFFile.hasELFMagic(path: $0) }, "no shared library in /usr/lib")
        return try ["/bin/true", library].map { path in
            (URL(fileURLWithPath: path).lastPathComponent,
             try [UInt8](Data(contentsOf: URL(fileURLWithPath: path).resolvingSymlinksInPath())))
        }
    }

    @Test(.timeLimit(.minutes(ELFFuzzTests.timeLimitMinutes)))
    func readerResolverAndHealthCheckEndEveryMutatedFileInAResultOrAnError() throws {
        let seeds = try Self.seeds()
        let scratch = FileManager.default.temporaryDirectory.appendingPathComponent("omnibus-fuzz-elf-\(getpid())").path
        try FileManager.default.createDirectory(atPath: scratch + "/install/lib", withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: scratch) }
        let path = scratch + "/install/lib/input.so"
        let resolver = LibraryResolver()
        let checker = HealthChecker(resolver: resolver)
        var random = ELFFuzzRandom(seed: Self.seed)
        let clock = ContinuousClock()
        var outcomes = (read: 0, refused: 0)
        var slowest: Duration = .zero
        for iteration in 0..<Self.iterations {
            let seed = seeds[random.below(seeds.count)]
            try Data(Self.mutate(seed.bytes, using: &random)).write(to: URL(fileURLWithPath: path))
            let replay = "iteration \(iteration) of seed \(String(Self.seed, radix: 16)) (\(seed.name))"
            let start = clock.now
            do throws(ELFError) {
                let file = try ELFFile.read(path: path)
                #expect(file.path == path)
                _ = try resolver.linkMap(forFileAt: path)
                outcomes.read += 1
            } catch {
                outcomes.refused += 1
                #expect(error.path == path, "\(replay): \(error)")
                #expect(error.description.hasPrefix(path + ": "), "\(replay)")
            }
            // The section-header side (.gnu.version_r, SHT_DYNAMIC) of the same input.
            do throws(ELFError) {
                _ = try VersionNeeds.read(path: path)
            } catch {
                #expect(error.path == path, "\(replay): \(error)")
                #expect(error.description.hasPrefix(path + ": "), "\(replay)")
            }
            if iteration % Self.healthCheckEvery == 0 {
                do throws(HealthCheckError) {
                    let report = try checker.check(installDir: scratch + "/install")
                    #expect(report.filesChecked <= 1, "\(replay)")
                } catch {
                    Issue.record("\(replay): the install dir exists, yet: \(error)")
                }
            }
            let elapsed = clock.now - start
            slowest = max(slowest, elapsed)
            #expect(elapsed < Self.timePerInput, "\(replay) took \(elapsed)")
        }
        // Both ends must be reached, or the mutations are too tame or too wild to test anything.
        #expect(outcomes.read > Self.iterations / 20 && outcomes.refused > Self.iterations / 20, "\(outcomes)")
        #expect(slowest < Self.timePerInput)
    }

    /// One to four mutations: byte flips (mostly in the headers), a header word set to an
    /// extreme, truncation, inserted bytes (every later offset is then wrong), deletion, or a
    /// repeated section.
    static func mutate(_ original: [UInt8], using random: inout ELFFuzzRandom) -> [UInt8] {
        var bytes = original
        for _ in 0..<(1 + random.below(4)) {
            // Half the damage lands in the first 4 KiB: the ELF header, the program headers and,
            // in small files, the dynamic section, where offsets and sizes are read.
            let span = random.below(2) == 0 ? min(bytes.count, 4096) : bytes.count
            let at = random.below(span + 1)
            switch random.below(6) {
            case 0:
                guard at < bytes.count else { continue }
                bytes[at] = UInt8(truncatingIfNeeded: random.next())
            case 1:
                let size = UInt64(bytes.count)
                let extremes: [UInt64] = [0, 1, 0xff, 0xffff, 0x7fff_ffff, 0xffff_ffff, .max, size, size &- 1]
                let word = extremes[random.below(extremes.count)]
                let width = random.below(2) == 0 ? 4 : 8
                for offset in 0..<width where at + offset < bytes.count {
                    bytes[at + offset] = UInt8(truncatingIfNeeded: word >> (8 * UInt64(offset)))
                }
            case 2:
                bytes.removeSubrange(at...)
            case 3:
                bytes.insert(contentsOf: (0..<(1 + random.below(64))).map { _ in UInt8(truncatingIfNeeded: random.next()) }, at: at)
            case 4:
                bytes.removeSubrange(at..<min(bytes.count, at + 1 + random.below(512)))
            default:
                let end = min(bytes.count, at + 1 + random.below(1024))
                let section = Array(bytes[at..<end])
                for _ in 0..<(1 + random.below(4)) { bytes.insert(contentsOf: section, at: end) }
            }
        }
        return bytes
    }
}

/// xorshift64: small, fast and the same on every machine, so a seed replays its inputs.
struct ELFFuzzRandom {
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
