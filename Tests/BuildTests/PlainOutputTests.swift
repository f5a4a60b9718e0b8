import Foundation
import TestSupport
import Testing

/// Output for logs and CI: progress on standard error, results on standard output, every line
/// written as it happens, a heartbeat for a long step, and a last line that tells the truth.
@Suite(.serialized) struct PlainOutputTests {
    /// Runs the binary with standard output and standard error into one file, as `2>&1` does.
    static func combined(_ repo: TestRepository, _ arguments: [String], environment: [String: String] = [:]) async throws -> (status: Int32, text: String) {
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("combined-\(UUID().uuidString)").path
        _ = FileManager.default.createFile(atPath: file, contents: nil)
        defer { try? FileManager.default.removeItem(atPath: file) }
        let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: file))
        let process = Process()
        process.executableURL = URL(fileURLWithPath: OmnibusBinaryPath.path)
        process.arguments = [arguments[0], "--root", repo.root, "--work-dir", repo.workDir, "--cache-dir", repo.cacheDir]
            + arguments.dropFirst()
        process.environment = ProcessInfo.processInfo.environment
            .merging(["CI": "true", "OMNIBUS_LIBRARY": repo.root + "/no-library"].merging(environment) { $1 }) { $1 }
        process.standardOutput = handle
        process.standardError = handle
        try await process.runUntilExit()
        try handle.close()
        return (process.terminationStatus, try String(contentsOfFile: file, encoding: .utf8))
    }

    @Test func aLongStepGetsAHeartbeatWithItsLog() async throws {
        let repo = try TestRepository("heartbeat")
        try repo.localSoftware("slow", extra: ["license_files: [README]"], steps: ["run: \"sleep 2.5\""])
        try repo.project(dependencies: ["slow"])
        let build = try await repo.omnibus(["build", "app"], environment: ["OMNIBUS_HEARTBEAT_SECONDS": "0.5"])
        #expect(build.status == 0, "\(build.stderr)")
        let beats = build.stderr.split(separator: "\n").filter {
            $0.contains("] slow: step 1/1 run: sleep 2.5 (") && $0.hasSuffix(", log: \(repo.workDir)/app/logs/slow.log)")
        }
        #expect(beats.count >= 2, "a heartbeat each period of a long step:\n\(build.stderr)")
        #expect(!build.stdout.contains("slow: step"), "progress is not on standard output")
    }

    @Test func withBothStreamsInOneFileLinesComeInTheOrderTheyHappened() async throws {
        let repo = try TestRepository("order")
        // dpkg cannot install a 250-byte name: packaging fails after the health check passed.
        let name = String(repeating: "n", count: 250)
        try repo.localSoftware("long", extra: ["license_files: [README]"],
                               steps: [#"mkdir: "{{embedded}}/share""#, "run: \"touch $DESTDIR{{embedded}}/share/\(name)\""])
        try repo.project(dependencies: ["long"])
        let run = try await Self.combined(repo, ["build", "app"])
        #expect(run.status == 1)
        let lines = run.text.split(separator: "\n").map(String.init)
        func index(_ prefix: String) -> Int? { lines.firstIndex { $0.hasPrefix(prefix) || $0.contains("] " + prefix) } }
        let done = try #require(index("long: done in"), "\(run.text)")
        let passed = try #require(index("health check passed"), "\(run.text)")
        let failed = try #require(index("packaging failed:"), "\(run.text)")
        let last = try #require(index("NOT PACKAGED: app 1.0.0 was built into \(repo.installDir)"), "\(run.text)")
        #expect(done < passed && passed < failed && failed < last, "\(run.text)")
        #expect(last == lines.count - 1, "the summary is the last line:\n\(run.text)")
        #expect(!lines.contains { $0.hasPrefix("built app") }, "no success line:\n\(run.text)")
    }

    @Test func aFailedHealthCheckPrintsNoSuccessLine() async throws {
        let repo = try TestRepository("stopped")
        try repo.write("src/zprog/zprog.c", """
            #include <zlib.h>
            int main(void) { return zlibVersion()[0] == 0; }
            """)
        try repo.localSoftware("zprog", extra: ["license_files: [zprog.c]"], steps: [
            #"mkdir: "{{embedded}}/bin""#, #"run: "cc zprog.c -o $DESTDIR{{embedded}}/bin/zprog -lz""#,
        ])
        try repo.project(dependencies: ["zprog"])
        let build = try await repo.omnibus(["build", "app"])
        #expect(build.status == 1)
        #expect(build.stderr.contains("build stopped before packaging: the health check failed"), "\(build.stderr)")
        #expect(!build.stdout.contains("built app"), "\(build.stdout)")
        #expect(build.stdout.hasSuffix("NOT PACKAGED: app 1.0.0 was built into \(repo.installDir) in "
                                       + (build.stdout.split(separator: " in ").last.map(String.init) ?? "")), "\(build.stdout)")
        #expect(build.stdout.contains("(1 built, 0 restored from cache), but the health check failed\n"), "\(build.stdout)")
    }

    @Test func stepLabelsShowTheExpandedVariables() async throws {
        let repo = try TestRepository("labels")
        try repo.localSoftware("one", extra: ["license_files: [README]"],
                               steps: [#"run: "mkdir -p $DESTDIR{{embedded}}/share""#, #"make: ["-f", "{{source_dir}}/none", "-n", "-s"]"#])
        try repo.write("src/one/none", "all:\n\t@true\n")
        try repo.project(dependencies: ["one"])
        let build = try await repo.omnibus(["build", "app"])
        #expect(build.status == 0, "\(build.stderr)")
        #expect(build.stderr.contains("one: step 1/2 run: mkdir -p $DESTDIR\(repo.installDir)/embedded/share\n"), "\(build.stderr)")
        #expect(build.stderr.contains("one: step 2/2 make -f \(repo.workDir)/app/"), "\(build.stderr)")
        #expect(!(build.stdout + build.stderr).contains("{{"), "\(build.stdout)\(build.stderr)")
    }

    @Test func quietPrintsOnlyTheResults() async throws {
        let repo = try TestRepository("quiet")
        try repo.localSoftware("one", extra: ["license_files: [README]"], steps: [#"run: "true""#])
        try repo.project(dependencies: ["one"])
        let build = try await repo.omnibus(["build", "app", "--quiet"])
        #expect(build.status == 0, "\(build.stderr)")
        #expect(build.stderr.isEmpty, "\(build.stderr)")
        let lines = build.stdout.split(separator: "\n")
        #expect(lines.count == 4, "three packages and the built line:\n\(build.stdout)")
        #expect(lines.dropLast().allSatisfy { $0.hasPrefix("wrote ") }, "\(build.stdout)")
        #expect(lines.last?.hasPrefix("built app 1.0.0 into \(repo.installDir) in ") == true, "\(build.stdout)")

        let again = try await repo.omnibus(["package", "app", "-q"])
        #expect(again.status == 0 && again.stderr.isEmpty, "\(again.stderr)")
        #expect(again.stdout.split(separator: "\n").allSatisfy { $0.hasPrefix("wrote ") }, "\(again.stdout)")

        let contradiction = try await repo.omnibus(["build", "app", "--quiet", "--verbose"])
        #expect(contradiction.status == 2 && contradiction.stderr.contains("--quiet and --verbose"), "\(contradiction.stderr)")
    }
}
