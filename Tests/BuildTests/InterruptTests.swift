import Foundation
import TestSupport
import Testing

/// Ctrl-C (SIGINT) and SIGTERM in each phase of `omnibus build`: the tool exits 130, every child
/// it started is gone, and nothing in `pkg/` (package or metadata) looks finished.
@Suite(.ownThread, .serialized) struct InterruptTests {
    /// A build running in the background whose output can be watched while it runs.
    final class RunningBuild {
        let process = Process()
        let stdoutPath: String
        let stderrPath: String

        init(_ repo: TestRepository, _ arguments: [String], label: String = "build",
             workDir: String? = nil, cacheDir: String? = nil) throws {
            stdoutPath = repo.root + "/\(label).out"
            stderrPath = repo.root + "/\(label).err"
            _ = FileManager.default.createFile(atPath: stdoutPath, contents: nil)
            _ = FileManager.default.createFile(atPath: stderrPath, contents: nil)
            process.executableURL = URL(fileURLWithPath: OmnibusBinaryPath.path)
            process.arguments = [arguments[0], "--root", repo.root, "--work-dir", workDir ?? repo.workDir,
                                 "--cache-dir", cacheDir ?? repo.cacheDir] + arguments.dropFirst()
            var environment = ProcessInfo.processInfo.environment
            environment["CI"] = "true"
            environment["OMNIBUS_LIBRARY"] = repo.root + "/no-library"
            process.environment = environment
            process.standardOutput = FileHandle(forWritingAtPath: stdoutPath)
            process.standardError = FileHandle(forWritingAtPath: stderrPath)
            try process.run()
        }

        var stdout: String { (try? String(contentsOfFile: stdoutPath, encoding: .utf8)) ?? "" }
        var stderr: String { (try? String(contentsOfFile: stderrPath, encoding: .utf8)) ?? "" }

        /// Waits (without a time bound: a slow machine only makes it slower) until `condition`
        /// holds or the build ended.
        func wait(until condition: () -> Bool) async {
            while process.isRunning && !condition() { try? await Task.sleep(for: .milliseconds(20)) }
        }

        func finish() async -> Int32 {
            await process.exited()
            return process.terminationStatus
        }

        func interrupt(_ signal: Int32 = SIGINT) async -> Int32 {
            kill(process.processIdentifier, signal)
            await process.exited()
            return process.terminationStatus
        }
    }

    static func isRunning(_ pid: pid_t) -> Bool {
        guard let stat = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8),
              let close = stat.lastIndex(of: ")") else { return false }
        return !stat[stat.index(close, offsetBy: 2)...].hasPrefix("Z")
    }

    /// Everything in the output directory, hidden scratch directories included.
    static func leftovers(_ repo: TestRepository) -> [String] {
        (try? FileManager.default.contentsOfDirectory(atPath: repo.root + "/pkg")) ?? []
    }

    @Test(arguments: [SIGINT, SIGTERM])
    func interruptDuringABuildStepStopsItsProcessTree(signal: Int32) async throws {
        let repo = try TestRepository("interrupt-build")
        let pidFile = repo.root + "/sleeper.pid"
        try repo.localSoftware("slow", steps: [
            #"run: "sleep 300 & echo $! > \#(pidFile).tmp && mv \#(pidFile).tmp \#(pidFile); wait""#,
        ])
        try repo.project(dependencies: ["slow"])
        let build = try RunningBuild(repo, ["build", "app"])
        await build.wait { FileManager.default.fileExists(atPath: pidFile) }
        let status = await build.interrupt(signal)
        #expect(status == 130, "\(build.stdout)\n\(build.stderr)")
        #expect(build.stderr.contains("interrupted during the build"))
        let sleeper = try #require(pid_t(String(contentsOfFile: pidFile, encoding: .utf8).trimmingCharacters(in: .whitespacesAndNewlines)))
        #expect(!Self.isRunning(sleeper), "the step's background child \(sleeper) outlived omnibus")
        #expect(Self.leftovers(repo).isEmpty)
        #expect(!build.stdout.contains("built app"), "no success line after an interrupt")
        // Nothing of the interrupted software went into the layer cache.
        let layers = (try? FileManager.default.contentsOfDirectory(atPath: repo.cacheDir + "/layers")) ?? []
        #expect(layers.isEmpty)
    }

    @Test func interruptDuringAStalledDownloadStopsAtOnceAndLeavesNoTemporary() async throws {
        let repo = try TestRepository("interrupt-fetch")
        let server = try SilentServer()
        try repo.urlSoftware("thing", url: "\(server.url)/thing-1.tar.gz")
        try repo.project(dependencies: ["thing"])
        let temporaries = repo.cacheDir + "/sources/tmp"
        func downloads() -> [String] { (try? FileManager.default.contentsOfDirectory(atPath: temporaries)) ?? [] }
        let build = try RunningBuild(repo, ["build", "app"])
        await build.wait { !downloads().isEmpty }
        let status = await build.interrupt()
        // The request timeout (60 s) would end it with exit 1 and a fetch error: 130 means the interrupt did.
        #expect(status == 130, "\(build.stdout)\n\(build.stderr)")
        #expect(build.stderr.contains("interrupted during the build"))
        #expect(downloads().isEmpty, "left in <cache>/sources/tmp: \(downloads())")
    }

    /// A tree whose packaging takes seconds (incompressible data, xz), so the signal lands in it.
    func largeTree(_ repo: TestRepository) throws {
        try repo.localSoftware("bulk", steps: [
            #"mkdir: "{{embedded}}/share""#,
            #"run: "head -c 48000000 /dev/urandom > $DESTDIR{{embedded}}/share/bulk.bin""#,
        ])
        try repo.project(dependencies: ["bulk"], extra: """
            package:
              deb: { compression: xz }
              rpm: { compression: xz }
              tar: { compression: xz }
            """)
    }

    @Test func interruptDuringPackagingLeavesNoPackage() async throws {
        let repo = try TestRepository("interrupt-package")
        try largeTree(repo)
        let build = try RunningBuild(repo, ["build", "app"])
        await build.wait { build.stdout.contains("health check") || build.stdout.contains("WARNING") }
        // Packaging has begun: its scratch directory appears in pkg/ before any package.
        await build.wait { !Self.leftovers(repo).isEmpty }
        let status = await build.interrupt()
        #expect(status == 130, "\(build.stdout)\n\(build.stderr)")
        #expect(build.stderr.contains("interrupted during the package"))
        #expect(Self.leftovers(repo).isEmpty, "pkg/ holds \(Self.leftovers(repo))")
        #expect(!build.stdout.contains("wrote "))
    }

    @Test func interruptBetweenBuildAndPackagingPackagesNothing() async throws {
        let repo = try TestRepository("interrupt-phase")
        try largeTree(repo)
        let build = try RunningBuild(repo, ["build", "app"])
        // The build phase is over: the signal lands in the health check or when packaging starts.
        await build.wait { build.stderr.contains("build phase done") }
        let status = await build.interrupt()
        #expect(status == 130, "\(build.stdout)\n\(build.stderr)")
        #expect(Self.leftovers(repo).isEmpty, "pkg/ holds \(Self.leftovers(repo))")
    }
}
