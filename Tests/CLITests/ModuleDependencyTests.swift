import Foundation
import Testing

/// The dependency comment at the top of Package.swift is the map readers trust; scripts/check-module-deps keeps it true.
@Suite struct ModuleDependencyTests {
    static let repositoryRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent()
    static let script = repositoryRoot.appendingPathComponent("scripts/check-module-deps").path

    @Test func packageSwiftDocumentsEveryModuleImport() throws {
        let result = try Self.check(Self.repositoryRoot.appendingPathComponent("Package.swift").path)
        #expect(result.status == 0, "\(result.output)")
    }

    @Test func aWrongEdgeInTheCommentIsReported() throws {
        let original = try String(contentsOf: Self.repositoryRoot.appendingPathComponent("Package.swift"), encoding: .utf8)
        // Graph imports Definitions and no Digest, so one edit both hides a real edge and documents a false one.
        let edited = original.replacingOccurrences(of: "Graph -> Definitions", with: "Graph -> Digest")
        try #require(edited != original, "the comment in Package.swift no longer says `Graph -> Definitions`")

        let copy = FileManager.default.temporaryDirectory.appendingPathComponent("module-deps-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: copy, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: copy) }
        try edited.write(to: copy.appendingPathComponent("Package.swift"), atomically: true, encoding: .utf8)
        // The script reads the Sources directory beside the Package.swift it is given.
        try FileManager.default.createSymbolicLink(at: copy.appendingPathComponent("Sources"),
                                                   withDestinationURL: Self.repositoryRoot.appendingPathComponent("Sources"))

        let result = try Self.check(copy.appendingPathComponent("Package.swift").path)
        // 1 is "differences found"; 2 would mean the script could not read its input.
        #expect(result.status == 1, "\(result.output)")
        #expect(result.output.contains("does not say Graph -> Definitions"))
        #expect(result.output.contains("the comment says Graph -> Digest, but Graph does not import Digest"))
    }

    private static func check(_ packageSwift: String) throws -> (status: Int32, output: String) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", script, packageSwift]
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = pipe
        try process.run()
        // Read before waiting so a long report cannot fill the pipe and stall the script.
        let output = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return (process.terminationStatus, String(decoding: output, as: UTF8.self))
    }
}
