import Foundation
import Testing
import TestSupport
@testable import Linkage

/// Truncated and corrupted ELF files give an error for that file, never a crash or a hang.
@Suite(.ownThread, .timeLimit(.minutes(2))) struct HostileFileTests {
    /// A small deterministic generator, so a failure can be replayed.
    struct XorShift: RandomNumberGenerator {
        var state: UInt64
        mutating func next() -> UInt64 {
            state ^= state << 13
            state ^= state >> 7
            state ^= state << 17
            return state
        }
    }

    static func fixture(in scratch: TemporaryDirectory) throws -> [UInt8] {
        let library = scratch.path + "/libvictim.so.1"
        try Compiler.build("int victim(void) { return 1; }\n", to: library,
                           ["-shared", "-fPIC", "-Wl,-soname,libvictim.so.1", "-Wl,-rpath,$ORIGIN/../lib", "-lz"], in: scratch)
        return try [UInt8](Data(contentsOf: URL(fileURLWithPath: library)))
    }

    /// Parses and resolves; any outcome but a crash is acceptable, and errors must be ELFErrors
    /// naming the file.
    static func survive(_ bytes: [UInt8], at path: String, resolver: LibraryResolver) throws -> Bool {
        try Data(bytes).write(to: URL(fileURLWithPath: path))
        do {
            _ = try resolver.linkMap(forFileAt: path)
            return true
        } catch {
            #expect(error.path == path)
            return false
        }
    }

    @Test func everyTruncationIsAnErrorOrAValidPrefix() throws {
        let scratch = try TemporaryDirectory()
        let bytes = try Self.fixture(in: scratch)
        let resolver = LibraryResolver()
        let path = scratch.path + "/truncated.so"
        var failures = 0
        let lengths = Array(0..<min(bytes.count, 1024)) + Array(stride(from: 1024, to: bytes.count, by: 97))
        for length in lengths where try !Self.survive(Array(bytes.prefix(length)), at: path, resolver: resolver) {
            failures += 1
        }
        // Prefixes that cut into the headers or the dynamic data cannot parse.
        #expect(failures > lengths.count / 4)
        #expect(try Self.survive(bytes, at: path, resolver: resolver), "the whole file parses")
    }

    @Test func randomCorruptionNeverCrashes() throws {
        let scratch = try TemporaryDirectory()
        let original = try Self.fixture(in: scratch)
        var random = XorShift(state: 0x9e37_79b9_7f4a_7c15)
        let path = scratch.path + "/corrupt.so"
        var errors = 0
        let resolver = LibraryResolver()
        for round in 0..<3000 {
            var bytes = original
            let flips = Int.random(in: 1...8, using: &random)
            for _ in 0..<flips {
                // Half the damage lands in the headers, where lies about offsets and sizes live.
                let limit = round % 2 == 0 ? min(bytes.count, 512) : bytes.count
                bytes[Int.random(in: 0..<limit, using: &random)] = UInt8.random(in: 0...255, using: &random)
            }
            if try !Self.survive(bytes, at: path, resolver: resolver) { errors += 1 }
        }
        #expect(errors > 0, "3000 corruptions should break at least one file")
    }

    @Test func hugeCountsAndOffsetsAreRefusedWithoutAllocatingThem() throws {
        let scratch = try TemporaryDirectory()
        let original = try Self.fixture(in: scratch)
        let path = scratch.path + "/lying.so"
        var lying = original
        // e_phoff far past the end, then e_phnum at its maximum with a huge e_phentsize.
        for index in 32..<40 { lying[index] = 0xff }
        try Data(lying).write(to: URL(fileURLWithPath: path))
        #expect(throws: ELFError.self) { try ELFFile.read(path: path) }
        lying = original
        lying[54] = 0xff; lying[55] = 0xff; lying[56] = 0xfe; lying[57] = 0xff
        try Data(lying).write(to: URL(fileURLWithPath: path))
        let error = try #require(throws: ELFError.self) { try ELFFile.read(path: path) }
        guard case .truncated = error.problem else {
            Issue.record("expected a truncation error, got \(error)")
            return
        }
    }
}
