import Foundation
import Testing
import TestSupport

/// `validate` on definitions built to exhaust it ends with exit 2 and a short, located report,
/// under a memory ceiling and in seconds, through the real binary.
@Suite(.ownThread, .timeLimit(.minutes(3))) struct HostileDefinitionTests {
    /// A repository with one software definition, `Software/x.yml`.
    static func repository(_ definition: Data) throws -> String {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("hostile-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: root + "/Software", withIntermediateDirectories: true)
        try FileManager.default.createDirectory(atPath: root + "/Projects", withIntermediateDirectories: true)
        try definition.write(to: URL(fileURLWithPath: root + "/Software/x.yml"))
        return root
    }

    /// `omnibus validate` under a 2 GB address-space ceiling and a 60 s timeout, so a regression
    /// fails the test (killed, or status 124) instead of taking the machine with it.
    static func boundedValidate(_ root: String) throws -> (OmnibusBinary.Result, Duration) {
        let clock = ContinuousClock()
        let start = clock.now
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/sh")
        process.arguments = ["-c", "ulimit -v 2000000 && exec timeout 60 \"$0\" validate --root \"$1\"", OmnibusBinary.path, root]
        process.environment = ["OMNIBUS_LIBRARY": "/nonexistent", "PATH": "/usr/bin:/bin"]
        let out = FileManager.default.temporaryDirectory.appendingPathComponent("out-\(UUID().uuidString)").path
        let err = out + ".err"
        _ = FileManager.default.createFile(atPath: out, contents: nil)
        _ = FileManager.default.createFile(atPath: err, contents: nil)
        defer { try? FileManager.default.removeItem(atPath: out); try? FileManager.default.removeItem(atPath: err) }
        process.standardOutput = try FileHandle(forWritingTo: URL(fileURLWithPath: out))
        process.standardError = try FileHandle(forWritingTo: URL(fileURLWithPath: err))
        try process.run()
        process.waitUntilExit()
        let result = OmnibusBinary.Result(status: process.terminationStatus,
                                          stdout: try String(contentsOfFile: out, encoding: .utf8),
                                          stderr: String(decoding: FileManager.default.contents(atPath: err) ?? Data(), as: UTF8.self))
        return (result, clock.now - start)
    }

    @Test func anAliasBombIsOneLocatedProblem() throws {
        var lines = ["name: x", "a0: &a0 [lol, lol, lol, lol, lol, lol, lol, lol, lol]"]
        for level in 1..<9 {
            lines.append("a\(level): &a\(level) [" + Array(repeating: "*a\(level - 1)", count: 9).joined(separator: ", ") + "]")
        }
        let root = try Self.repository(Data((lines.joined(separator: "\n") + "\n").utf8))
        defer { try? FileManager.default.removeItem(atPath: root) }
        let (result, elapsed) = try Self.boundedValidate(root)
        #expect(result.status == 2)
        #expect(result.stderr.hasPrefix("Software/x.yml:7:10: too many alias expansions: expanding '*a4' here"), "\(result.stderr)")
        #expect(result.stderr.hasSuffix("\n1 problem found\n"))
        #expect(elapsed < .seconds(20))
    }

    @Test func aFiftyMegabyteDefinitionIsRefusedUnreadAndAMillionProblemsAreNotPrinted() throws {
        // The case: 50 MB, a problem on every line. It took 123 s and printed 312 MB.
        var text = Data("name: x\n".utf8)
        let line = Data((0..<2_000).map { String(format: "k%06d: 1\n", $0) }.joined().utf8)
        while text.count < 50_000_000 { text.append(line) }
        let huge = try Self.repository(text)
        defer { try? FileManager.default.removeItem(atPath: huge) }
        let (refused, elapsed) = try Self.boundedValidate(huge)
        #expect(refused.status == 2)
        #expect(refused.stderr == "Software/x.yml:1:1: the file is larger than 4 MiB (4194304 bytes), the most a definition file may be\n1 problem found\n")
        #expect(elapsed < .seconds(20))

        // Under the size limit, every problem is counted but only a hundred are printed.
        let keys = (0..<50_000).map { "k\($0): 1\n" }.joined()
        let many = try Self.repository(Data(("name: x\n" + keys).utf8))
        defer { try? FileManager.default.removeItem(atPath: many) }
        let (report, _) = try Self.boundedValidate(many)
        let lines = report.stderr.split(separator: "\n")
        #expect(report.status == 2)
        #expect(lines.count == 102, "\(report.stderr.prefix(500))")
        // The first thousand problems found are kept: the unknown keys, in file order.
        #expect(lines.first?.hasPrefix("Software/x.yml:2:1: unknown key 'k0' (expected one of: ") == true)
        // The 50,000 unknown keys and the four missing required ones.
        #expect(lines.suffix(2) == ["and 49904 more problems", "50004 problems found"])
    }
}
