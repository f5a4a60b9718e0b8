import Foundation
import Testing
import TestSupport

/// Two runs on one install dir at once: the second waits for the first (or, with `--no-wait`,
/// stops at once), so neither clears the other's files. Before the lock, the first build of a
/// project with a 6,000,000-byte file packaged it truncated to 3,731,456 bytes, with exit 0.
@Suite(.ownThread, .serialized) struct ConcurrentBuildTests {
    func project(_ repo: TestRepository) throws {
        try repo.localSoftware("big", steps: [
            #"mkdir: "{{embedded}}/share""#,
            #"run: "yes omnibus | head -c 6000000 > big.bin; sleep 2; cp big.bin $DESTDIR{{embedded}}/share/big.bin""#,
        ])
        try repo.project(dependencies: ["big"])
    }

    static func sha256(_ path: String) async throws -> String {
        let result = try await CommandResult.run(["sha256sum", path])
        return String(result.stdout.prefix(64))
    }

    @Test func aSecondBuildOfTheSameInstallDirWaitsAndBothPackageTheWholeFile() async throws {
        let repo = try TestRepository("concurrent")
        try project(repo)
        // The same command twice, as in the report: same work dir, same cache.
        let first = try InterruptTests.RunningBuild(repo, ["build", "app", "--output-dir", repo.root + "/pkg-a"], label: "a")
        await first.wait { first.stderr.contains("big: step 2/2") }
        let second = try InterruptTests.RunningBuild(repo, ["build", "app", "--output-dir", repo.root + "/pkg-b"], label: "b")
        await second.wait { second.stderr.contains("waiting for the build of \(repo.installDir)") }
        #expect(second.stderr.contains("waiting for the build of \(repo.installDir) by pid "), "\(second.stdout)\(second.stderr)")
        await #expect(first.finish() == 0, "\(first.stdout)\(first.stderr)")
        await #expect(second.finish() == 0, "\(second.stdout)\(second.stderr)")
        for name in ["app_1.0.0-1_amd64.deb", "app-1.0.0-1.x86_64.rpm"] {
            await #expect(try Self.sha256(repo.root + "/pkg-a/" + name) == (try Self.sha256(repo.root + "/pkg-b/" + name)), "\(name)")
        }
        // The whole file, as rpm itself reads it back.
        let sizes = try await CommandResult.run(["rpm", "-qp", "--qf", "[%{FILESIZES} %{FILENAMES}\n]", repo.root + "/pkg-a/app-1.0.0-1.x86_64.rpm"])
        #expect(sizes.stdout.contains("6000000 \(repo.installDir)/embedded/share/big.bin"), "\(sizes.stdout)")
    }

    @Test func noWaitStopsAtOnceNamingTheOtherRun() async throws {
        let repo = try TestRepository("no-wait")
        try project(repo)
        let first = try InterruptTests.RunningBuild(repo, ["build", "app"], label: "a")
        await first.wait { first.stderr.contains("big: step 2/2") }
        let second = try await repo.omnibus(["build", "app", "--no-wait"])
        #expect(second.status == 2)
        #expect(second.stderr.contains("\(repo.installDir) is being built by another omnibus run (pid \(first.process.processIdentifier), project app)"),
                "\(second.stderr)")
        await #expect(first.finish() == 0)
        // Another project (another install dir) never waits.
    }
}
