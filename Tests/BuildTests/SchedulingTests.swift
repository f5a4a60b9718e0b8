import Foundation
import Testing

/// Parallelism, failure handling, caching and install-dir safety, with real processes.
@Suite(.serialized) struct SchedulingTests {
    /// A software whose only step records when it ran, then idles, so overlaps are visible.
    func timedSoftware(_ repo: TestRepository, _ name: String, deps: [String], seconds: Double, extra: String = "") throws {
        try repo.localSoftware(name, dependencies: deps, steps: [
            #"mkdir: "{{embedded}}/times""#,
            #"run: "date +%s.%N > $DESTDIR{{embedded}}/times/\#(name); sleep \#(seconds); date +%s.%N >> $DESTDIR{{embedded}}/times/\#(name)\#(extra)""#,
        ])
    }

    func interval(_ repo: TestRepository, _ name: String) throws -> (Double, Double) {
        let text = try String(contentsOfFile: repo.installDir + "/embedded/times/\(name)", encoding: .utf8)
        let values = text.split(separator: "\n").compactMap { Double($0) }
        return (values[0], values[1])
    }

    func diamond(_ repo: TestRepository, seconds: Double = 1.5) throws {
        try timedSoftware(repo, "base", deps: [], seconds: 0.1)
        try timedSoftware(repo, "left", deps: ["base"], seconds: seconds)
        try timedSoftware(repo, "right", deps: ["base"], seconds: seconds)
        try timedSoftware(repo, "top", deps: ["left", "right"], seconds: 0.1)
        try repo.project(dependencies: ["top"])
    }

    @Test func diamondBuildsIndependentSoftwareConcurrently() async throws {
        let repo = try TestRepository("diamond")
        try diamond(repo)
        let build = try await repo.omnibus(["build", "app", "--jobs", "2"])
        #expect(build.status == 0, "\(build.stdout)\n\(build.stderr)")
        let base = try interval(repo, "base"), left = try interval(repo, "left")
        let right = try interval(repo, "right"), top = try interval(repo, "top")
        #expect(left.0 < right.1 && right.0 < left.1, "left and right overlap in time")
        #expect(base.1 <= left.0 && base.1 <= right.0, "dependents start after base is merged")
        #expect(top.0 >= max(left.1, right.1), "top starts after both of its dependencies")
        // Plain (CI) output carries timestamps showing the same.
        #expect(build.stderr.contains("left: step 2/2"))
        #expect(build.stderr.contains("right: step 2/2"))
    }

    @Test func oneJobBuildsOneAtATime() async throws {
        let repo = try TestRepository("serial")
        try diamond(repo, seconds: 0.5)
        let build = try await repo.omnibus(["build", "app", "--jobs", "1"])
        #expect(build.status == 0)
        let left = try interval(repo, "left"), right = try interval(repo, "right")
        #expect(left.1 <= right.0 || right.1 <= left.0)
    }

    @Test func failureReportsStepCommandStatusOutputAndLog() async throws {
        let repo = try TestRepository("fail")
        try repo.localSoftware("broken", steps: [
            #"run: "echo preparing""#,
            #"run: "for i in $(seq 1 40); do echo line $i; done; echo 'compiler says no' >&2; exit 3""#,
        ])
        let finished = repo.root + "/slow-finished"
        // A sleep of about 20 s whose command line no other process on the machine has, so the
        // check for leftovers below sees only this build's processes.
        let seconds = 20 + Double(Int.random(in: 10_000...99_999)) / 10_000_000
        try timedSoftware(repo, "slow", deps: [], seconds: seconds, extra: "; touch \(finished)")
        try repo.project(dependencies: ["slow", "broken"])
        let build = try await repo.omnibus(["build", "app", "--jobs", "2"])
        #expect(build.status == 1)
        let log = repo.workDir + "/app/logs/broken.log"
        #expect(build.stderr.contains("broken: step 2/2 (run: for i in $(seq 1 40); do echo line $i; done; echo 'compiler says no' >&2; exit 3) failed: command exited with status 3: /bin/sh -c 'for i in"))
        #expect(build.stderr.contains("--- last 30 lines of output ---\n  line 12\n"))
        #expect(build.stderr.contains("  compiler says no\n---\nfull log: \(log)"))
        #expect(!build.stderr.contains("  line 11\n"))
        let logText = try String(contentsOfFile: log, encoding: .utf8)
        #expect(logText.contains("## step 2/2") && logText.contains("line 1\n") && logText.contains("LDFLAGS="))
        // The other build was stopped rather than left to finish its 20 seconds.
        #expect(!FileManager.default.fileExists(atPath: finished))
        #expect(!FileManager.default.fileExists(atPath: repo.installDir + "/version-manifest.json"))
        let leftover = try await CommandResult.run(["pgrep", "-f", "sleep \(seconds)".replacingOccurrences(of: ".", with: "\\.")])
        #expect(leftover.stdout.isEmpty, "no build process is left running")
    }

    @Test func buildStepsInheritOnlyTheStandardStreams() async throws {
        // Two builds at once: neither step may hold the other's log file or output pipe (a
        // reader waiting for a pipe that a sibling's child keeps open would stall a build). The
        // inner sh lists its own descriptors, so the outer shell's private ones do not count.
        let repo = try TestRepository("fds")
        for name in ["one", "two"] {
            try repo.localSoftware(name, steps: [
                #"mkdir: "{{embedded}}/share""#,
                #"run: "sleep 0.5; sh -c 'ls /proc/$$/fd' > $DESTDIR{{embedded}}/share/fds-\#(name); sleep 0.5""#,
            ])
        }
        try repo.project(dependencies: ["one", "two"])
        let build = try await repo.omnibus(["build", "app", "--jobs", "2"])
        #expect(build.status == 0, "\(build.stderr)")
        for name in ["one", "two"] {
            let fds = try String(contentsOfFile: repo.installDir + "/embedded/share/fds-\(name)", encoding: .utf8)
            #expect(fds.split(separator: "\n").sorted() == ["0", "1", "2"], "\(name) had open: \(fds)")
        }
    }

    @Test func changeRebuildsOnlyThatSoftwareAndItsDependents() async throws {
        let repo = try TestRepository("incremental")
        try diamond(repo, seconds: 0.1)
        #expect(try await repo.omnibus(["build", "app"]).status == 0)
        try timedSoftware(repo, "right", deps: ["base"], seconds: 0.2)
        let again = try await repo.omnibus(["build", "app"])
        #expect(again.status == 0)
        #expect(again.stderr.contains("base: restored from cache"))
        #expect(again.stderr.contains("left: restored from cache"))
        #expect(again.stderr.contains("right: done in"))
        #expect(again.stderr.contains("top: done in"))
        #expect(again.stdout.contains("(2 built, 2 restored from cache)"))
    }

    @Test func existingInstallDirNotMadeByOmnibusIsLeftAlone() async throws {
        let repo = try TestRepository("guard")
        try diamond(repo, seconds: 0.1)
        try FileManager.default.createDirectory(atPath: repo.installDir, withIntermediateDirectories: true)
        try "precious".write(toFile: repo.installDir + "/data.txt", atomically: true, encoding: .utf8)
        let build = try await repo.omnibus(["build", "app"])
        #expect(build.status == 2)
        #expect(build.stderr.contains("\(repo.installDir) exists and was not created by omnibus"))
        #expect(try String(contentsOfFile: repo.installDir + "/data.txt", encoding: .utf8) == "precious")
    }

    @Test func emptyInstallDirIsAdoptedAndRebuildsStartFresh() async throws {
        let repo = try TestRepository("adopt")
        try diamond(repo, seconds: 0.1)
        try FileManager.default.createDirectory(atPath: repo.installDir, withIntermediateDirectories: true)
        #expect(try await repo.omnibus(["build", "app"]).status == 0)
        try "stray".write(toFile: repo.installDir + "/stray.txt", atomically: true, encoding: .utf8)
        #expect(try await repo.omnibus(["build", "app"]).status == 0)
        #expect(!FileManager.default.fileExists(atPath: repo.installDir + "/stray.txt"))
        #expect(FileManager.default.fileExists(atPath: repo.installDir + "/embedded/times/top"))
    }

    @Test func conflictingFilesFromTwoSoftwareAreAnError() async throws {
        let repo = try TestRepository("conflict")
        for (name, content) in [("one", "1"), ("two", "2")] {
            try repo.localSoftware(name, steps: [
                #"mkdir: "{{embedded}}/etc""#,
                #"run: "echo \#(content) > $DESTDIR{{embedded}}/etc/shared.conf""#,
            ])
        }
        try repo.project(dependencies: ["one", "two"])
        let build = try await repo.omnibus(["build", "app", "--jobs", "1"])
        #expect(build.status == 1)
        #expect(build.stderr.contains("two installs \(repo.installDir)/embedded/etc/shared.conf with different content than 'one' already installed there"))
    }

    @Test func rebuildingFromScratchGivesIdenticalLayers() async throws {
        let repo = try TestRepository("repro")
        try repo.copyFromOmnibus("src/libgreet", to: "src/libgreet")
        try repo.copyFromOmnibus("src/greet", to: "src/greet")
        try repo.copyFromOmnibus("Software/libgreet.yml", to: "Software/libgreet.yml")
        try repo.copyFromOmnibus("Software/greet.yml", to: "Software/greet.yml")
        try repo.project(dependencies: ["greet"])
        func snapshot() throws -> [Data] {
            try [repo.installDir + "/version-manifest.json", repo.workDir + "/app/layers/libgreet.json",
                 repo.workDir + "/app/layers/greet.json", repo.installDir + "/embedded/bin/greet"]
                .map { try Data(contentsOf: URL(fileURLWithPath: $0)) }
        }
        #expect(try await repo.omnibus(["build", "app", "--no-cache"]).status == 0)
        let first = try snapshot()
        #expect(try await repo.omnibus(["build", "app", "--no-cache"]).status == 0)
        #expect(try snapshot() == first)
    }
}
