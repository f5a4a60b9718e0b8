import Foundation
import Testing

/// A rebuild whose layer keys are those of the last build keeps the install dir when it is
/// untouched, and merges every layer again when anything in it or in the inputs changed.
@Suite struct KeptInstallDirTests {
    /// `app` with `one` and `two` (two depends on one), each installing its README as share/<name>.
    static func repository(_ label: String) throws -> TestRepository {
        let repo = try TestRepository(label)
        for (name, dependencies) in [("one", [String]()), ("two", ["one"])] {
            try repo.localSoftware(name, dependencies: dependencies, steps: [#"mkdir: "{{embedded}}/share""#,
                                                                              "run: \"cp README $DESTDIR{{embedded}}/share/\(name)\""])
        }
        try repo.project(dependencies: ["two"], extra: "package: { formats: [deb, rpm, tar] }")
        return repo
    }

    static func file(_ repo: TestRepository, _ name: String) -> String { repo.installDir + "/embedded/share/" + name }

    static func inode(_ path: String) -> UInt64? {
        var info = stat()
        return stat(path, &info) == 0 ? UInt64(info.st_ino) : nil
    }

    static func kept(_ result: CommandResult) -> Bool { (result.stdout + result.stderr).contains("install dir kept") }

    static func build(_ repo: TestRepository) async throws -> CommandResult {
        let result = try await repo.omnibus(["build", "app"], environment: PackageReuseTests.epoch)
        #expect(result.status == 0, "\(result.stdout)\n\(result.stderr)")
        return result
    }

    @Test func aNoOpRebuildKeepsTheInstallDirAndGivesTheSamePackages() async throws {
        let repo = try Self.repository("kept")
        #expect(!Self.kept(try await Self.build(repo)))
        let packages = try PackageReuseTests.outputs(repo)
        let inodes = [Self.inode(Self.file(repo, "one")), Self.inode(Self.file(repo, "two")),
                      Self.inode(repo.installDir + "/version-manifest.json")]
        #expect(!inodes.contains(nil))

        for _ in 0..<2 {
            let again = try await Self.build(repo)
            #expect(Self.kept(again), "\(again.stdout)\n\(again.stderr)")
            #expect([Self.inode(Self.file(repo, "one")), Self.inode(Self.file(repo, "two")),
                     Self.inode(repo.installDir + "/version-manifest.json")] == inodes)
            #expect(try PackageReuseTests.outputs(repo) == packages)
            #expect(try PackageReuseTests.reused(repo) == true)
        }
        // The package phase on its own, from the kept install dir, writes the same bytes.
        #expect(try await repo.omnibus(["package", "app"], environment: PackageReuseTests.epoch).status == 0)
        #expect(try PackageReuseTests.outputs(repo) == packages)
    }

    /// Same-size edits, an edit with its mtime put back, an added file, a removed one and a
    /// chmod: each is found, and the rebuild puts back exactly what the layers hold.
    @Test(arguments: ["same-size", "mtime-restored", "added", "removed", "chmod"])
    func aChangeInTheInstallDirIsFoundAndUndone(change: String) async throws {
        let repo = try Self.repository("kept-\(change)")
        _ = try await Self.build(repo)
        let packages = try PackageReuseTests.outputs(repo)
        let one = Self.file(repo, "one")
        // Past the racy window, so the survey trusts timestamps rather than hashing.
        sleep(2)
        switch change {
        case "same-size":
            try Data("ONE\n".utf8).write(to: URL(fileURLWithPath: one))
        case "mtime-restored":
            var info = stat()
            #expect(stat(one, &info) == 0)
            try Data("ONE\n".utf8).write(to: URL(fileURLWithPath: one))
            var times = [info.st_atim, info.st_mtim]
            #expect(utimensat(AT_FDCWD, one, &times, 0) == 0)
        case "added":
            try Data("stray\n".utf8).write(to: URL(fileURLWithPath: repo.installDir + "/embedded/share/extra"))
        case "removed":
            try FileManager.default.removeItem(atPath: one)
        default:
            #expect(chmod(one, 0o600) == 0)
        }
        let again = try await Self.build(repo)
        #expect(!Self.kept(again), "\(again.stdout)\n\(again.stderr)")
        #expect(try String(contentsOfFile: one, encoding: .utf8) == "one\n")
        #expect(!FileManager.default.fileExists(atPath: repo.installDir + "/embedded/share/extra"))
        #expect(((try FileManager.default.attributesOfItem(atPath: one))[.posixPermissions] as? Int) == 0o644)
        #expect(try PackageReuseTests.outputs(repo) == packages)
        // And once rebuilt, it is kept again.
        await #expect(Self.kept(try Self.build(repo)))
    }

    @Test func anEditRightAfterTheBuildIsFoundThoughItsTimestampsMayNotMove() async throws {
        let repo = try Self.repository("kept-racy")
        _ = try await Self.build(repo)
        // Within the same second as the survey: the survey hashed this file, so the content decides.
        let manifest = repo.installDir + "/version-manifest.json"
        var bytes = try Data(contentsOf: URL(fileURLWithPath: manifest))
        bytes[bytes.count / 2] ^= 0x01
        try bytes.write(to: URL(fileURLWithPath: manifest))
        let again = try await Self.build(repo)
        #expect(!Self.kept(again), "\(again.stdout)\n\(again.stderr)")
        bytes[bytes.count / 2] ^= 0x01
        #expect(try Data(contentsOf: URL(fileURLWithPath: manifest)) == bytes)
    }

    @Test func aChangedSoftwareIsRebuiltAndThePackagesChange() async throws {
        let repo = try Self.repository("kept-changed")
        _ = try await Self.build(repo)
        let packages = try PackageReuseTests.outputs(repo)
        try repo.write("src/two/README", "two, changed\n")
        let again = try await Self.build(repo)
        #expect(!Self.kept(again), "\(again.stdout)\n\(again.stderr)")
        #expect(try String(contentsOfFile: Self.file(repo, "two"), encoding: .utf8) == "two, changed\n")
        #expect(try String(contentsOfFile: Self.file(repo, "one"), encoding: .utf8) == "one\n")
        #expect(try PackageReuseTests.reused(repo) == false)
        let deb = try #require(packages.keys.first { $0.hasSuffix(".deb") })
        #expect(try PackageReuseTests.outputs(repo)[deb] != packages[deb])
    }

    @Test func aLayerGoneFromTheCacheIsRestoredOrBuiltAgain() async throws {
        let repo = try Self.repository("kept-cleared")
        _ = try await Self.build(repo)
        let cleared = try await CommandResult.run([OmnibusBinaryPath.path, "cache", "clear", "app", "--root", repo.root, "--cache-dir", repo.cacheDir])
        #expect(cleared.status == 0, "\(cleared.stderr)")
        let again = try await Self.build(repo)
        #expect(!Self.kept(again), "\(again.stdout)\n\(again.stderr)")
        #expect(FileManager.default.fileExists(atPath: repo.cacheDir + "/layers"))
        #expect(try String(contentsOfFile: Self.file(repo, "two"), encoding: .utf8) == "two\n")
    }

    /// An interrupted build leaves an incomplete install dir; going back to the inputs of the
    /// build before must not keep it.
    @Test func anInterruptedBuildIsFollowedByAFullOne() async throws {
        let repo = try Self.repository("kept-interrupted")
        _ = try await Self.build(repo)
        let packages = try PackageReuseTests.outputs(repo)
        let steps = [#"mkdir: "{{embedded}}/share""#, "run: \"cp README $DESTDIR{{embedded}}/share/two\""]
        let started = repo.root + "/started"
        try repo.localSoftware("two", dependencies: ["one"], steps: steps + ["run: \"touch \(started); sleep 300\""])
        let interrupted = try InterruptTests.RunningBuild(repo, ["build", "app"])
        await interrupted.wait { FileManager.default.fileExists(atPath: started) }
        await #expect(interrupted.interrupt() == 130, "\(interrupted.stdout)\n\(interrupted.stderr)")
        #expect(!FileManager.default.fileExists(atPath: Self.file(repo, "two")), "the interrupted build emptied the install dir")

        try repo.localSoftware("two", dependencies: ["one"], steps: steps)
        let again = try await Self.build(repo)
        #expect(!Self.kept(again), "\(again.stdout)\n\(again.stderr)")
        #expect(try String(contentsOfFile: Self.file(repo, "two"), encoding: .utf8) == "two\n")
        #expect(FileManager.default.fileExists(atPath: repo.installDir + "/version-manifest.json"))
        #expect(try PackageReuseTests.outputs(repo) == packages)
    }
}
