import Foundation
import Testing
import TestSupport
@testable import Linkage

/// Truncated and corrupted `.gnu.version_r` sections are refused with an error naming the file
/// and the structure, never a crash or an endless walk of `vn_next`/`vna_next` links.
@Suite(.ownThread, .timeLimit(.minutes(2))) struct VersionNeedsHostileTests {
    /// A program and the file offset and size of its `.gnu.version_r`, from `readelf -S`.
    static func fixture(_ scratch: TemporaryDirectory) throws -> (bytes: [UInt8], offset: Int, size: Int) {
        let path = try VersionNeedsTests.compileC(scratch)
        let sections = try Tools.succeed(try #require(Tools.find("readelf")), ["-S", "-W", path])
        let line = try #require(sections.split(separator: "\n").first { $0.contains(".gnu.version_r") })
        let fields = line.split(separator: "]")[1].split(separator: " ")
        // Name, type, address, offset, size, ...
        let offset = try #require(Int(fields[3], radix: 16)), size = try #require(Int(fields[4], radix: 16))
        return (try [UInt8](Data(contentsOf: URL(fileURLWithPath: path))), offset, size)
    }

    static func read(_ bytes: [UInt8], in scratch: TemporaryDirectory) throws -> Result<VersionNeeds?, ELFError> {
        let path = scratch.path + "/victim"
        try Data(bytes).write(to: URL(fileURLWithPath: path))
        do throws(ELFError) { return .success(try VersionNeeds.read(path: path)) } catch { return .failure(error) }
    }

    static func put32(_ value: UInt32, at offset: Int, in bytes: inout [UInt8]) {
        for index in 0..<4 { bytes[offset + index] = UInt8(truncatingIfNeeded: value >> (8 * index)) }
    }

    @Test func anEntryPointingOutsideTheSectionIsRefusedNamingIt() throws {
        let scratch = try TemporaryDirectory()
        var (bytes, offset, _) = try Self.fixture(scratch)
        // vn_aux of the first entry: far past the section.
        Self.put32(0x7fff_0000, at: offset + 8, in: &bytes)
        guard case .failure(let error) = try Self.read(bytes, in: scratch) else {
            Issue.record("a vn_aux outside the section was accepted")
            return
        }
        #expect(error.path == scratch.path + "/victim")
        #expect(error.description.contains("SHT_GNU_verneed"), "\(error)")
        #expect(error.description.contains("outside"), "\(error)")
    }

    @Test func aLoopOfAuxiliaryLinksEnds() throws {
        let scratch = try TemporaryDirectory()
        var (bytes, offset, _) = try Self.fixture(scratch)
        // First entry claims 65535 versions whose vna_next is 0: the same slot again and again.
        bytes[offset + 2] = 0xff
        bytes[offset + 3] = 0xff
        let auxiliary = offset + Int(bytes[offset + 8])
        Self.put32(0, at: auxiliary + 12, in: &bytes)
        guard case .failure(let error) = try Self.read(bytes, in: scratch) else {
            Issue.record("a looping vna_next was accepted")
            return
        }
        #expect(error.description.contains("loop"), "\(error)")
    }

    @Test func aNameOutsideTheStringTableIsRefused() throws {
        let scratch = try TemporaryDirectory()
        var (bytes, offset, _) = try Self.fixture(scratch)
        Self.put32(0xffff_fff0, at: offset + 4, in: &bytes)
        guard case .failure(let error) = try Self.read(bytes, in: scratch) else {
            Issue.record("a vn_file outside .dynstr was accepted")
            return
        }
        #expect(error.description.contains("string offset"), "\(error)")
    }

    @Test func everyTruncationIsAnErrorOrAValidPrefix() throws {
        let scratch = try TemporaryDirectory()
        let (bytes, offset, size) = try Self.fixture(scratch)
        // The section headers sit at the end of the file: any cut loses them or the section.
        var failures = 0
        let lengths = Array(stride(from: 0, to: bytes.count, by: 61)) + Array(offset..<(offset + size))
        for length in lengths {
            if case .failure(let error) = try Self.read(Array(bytes.prefix(length)), in: scratch) {
                #expect(error.path == scratch.path + "/victim")
                failures += 1
            }
        }
        #expect(failures > lengths.count / 2)
        guard case .success(let whole) = try Self.read(bytes, in: scratch) else {
            Issue.record("the whole file does not read")
            return
        }
        #expect(whole?.needs.isEmpty == false)
    }

    @Test func randomCorruptionOfTheSectionNeverCrashes() throws {
        let scratch = try TemporaryDirectory()
        let (original, offset, size) = try Self.fixture(scratch)
        var random = HostileFileTests.XorShift(state: 0x2545_f491_4f6c_dd1d)
        var errors = 0
        for _ in 0..<2000 {
            var bytes = original
            for _ in 0..<Int.random(in: 1...4, using: &random) {
                bytes[offset + Int.random(in: 0..<size, using: &random)] = UInt8.random(in: 0...255, using: &random)
            }
            if case .failure(let error) = try Self.read(bytes, in: scratch) {
                #expect(error.path == scratch.path + "/victim")
                errors += 1
            }
        }
        #expect(errors > 0, "some corruption must be refused")
    }

    @Test func theHealthCheckFailsAFileWithABrokenVersionTable() throws {
        let scratch = try TemporaryDirectory()
        var (bytes, offset, _) = try Self.fixture(scratch)
        Self.put32(0x7fff_0000, at: offset + 8, in: &bytes)
        let install = try scratch.directory("broken")
        try Data(bytes).write(to: URL(fileURLWithPath: install + "/bin-prog"))
        let report = try HealthChecker().check(installDir: install)
        #expect(!report.passed)
        let error = try #require(report.errors.first)
        #expect(error.file == "bin-prog")
        #expect(error.message.contains("SHT_GNU_verneed"), "\(error.message)")
    }
}
