import Foundation
import Testing

/// Where the cache and work dirs are, whose install dir a build may clear, and what `clean --all`
/// may remove.
@Suite(.serialized) struct CacheDirectoryTests {
    func simple(_ label: String) throws -> TestRepository {
        let repo = try TestRepository(label)
        try repo.localSoftware("one", steps: [#"mkdir: "{{embedded}}/share""#, #"run: "echo one > $DESTDIR{{embedded}}/share/one""#])
        try repo.project(dependencies: ["one"])
        return repo
    }

    /// Without flags, variables or config, the cache follows `$HOME` (not the passwd entry).
    @Test func theDefaultCacheFollowsHome() async throws {
        let repo = try simple("home")
        let home = repo.root + "/home"
        try FileManager.default.createDirectory(atPath: home, withIntermediateDirectories: true)
        let result = try await CommandResult.run([OmnibusBinaryPath.path, "build", "app", "--root", repo.root],
                                           environment: ["HOME": home, "XDG_CACHE_HOME": "", "OMNIBUS_CACHE_DIR": "", "OMNIBUS_WORK_DIR": "",
                                                         "OMNIBUS_LIBRARY": repo.root + "/no-library"])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(FileManager.default.fileExists(atPath: home + "/.cache/omnibus/layers"))
        #expect(FileManager.default.fileExists(atPath: home + "/.cache/omnibus/work/app/logs/one.log"))
    }

    @Test func anUnwritableCacheSaysHowToChooseAnother() async throws {
        let repo = try simple("unwritable")
        let blocker = repo.root + "/not-a-directory"
        try "x".write(toFile: blocker, atomically: true, encoding: .utf8)
        let result = try await repo.omnibus(["build", "app"], environment: ["OMNIBUS_CACHE_DIR": blocker + "/cache"])
        // The test harness passes --cache-dir; without it the variable would count.
        let direct = try await CommandResult.run([OmnibusBinaryPath.path, "build", "app", "--root", repo.root, "--work-dir", repo.workDir],
                                           environment: ["OMNIBUS_CACHE_DIR": blocker + "/cache", "OMNIBUS_LIBRARY": repo.root + "/no-library"])
        #expect(result.status == 0)
        #expect(direct.status == 2)
        #expect(direct.stderr.contains("cannot write the cache directory \(blocker)/cache"), "\(direct.stderr)")
        #expect(direct.stderr.contains("--cache-dir DIR, the environment variable OMNIBUS_CACHE_DIR, or 'cache_dir:' in omnibus.config.yml"))
    }

    /// The proof that omnibus made the install dir lives in the install dir, so another work dir
    /// (or cache, or user) still rebuilds it, and a foreign directory is still refused.
    @Test func anotherWorkDirMayRebuildTheInstallDirButNotAForeignOne() async throws {
        let repo = try simple("workdirs")
        #expect(try await repo.omnibus(["build", "app"]).status == 0)
        let other = try await CommandResult.run([OmnibusBinaryPath.path, "build", "app", "--root", repo.root,
                                           "--work-dir", repo.root + "/work2", "--cache-dir", repo.root + "/cache2"],
                                          environment: ["OMNIBUS_LIBRARY": repo.root + "/no-library"])
        #expect(other.status == 0, "\(other.stderr)")
        // The marker never reaches a package.
        let listing = try await CommandResult.run(["dpkg-deb", "--contents", repo.root + "/pkg/app_1.0.0-1_amd64.deb"])
        #expect(!listing.stdout.contains(".omnibus-install-dir"), "\(listing.stdout)")
        let foreign = try TestRepository("foreign")
        try FileManager.default.createDirectory(atPath: foreign.installDir, withIntermediateDirectories: true)
        try "mine".write(toFile: foreign.installDir + "/data", atomically: true, encoding: .utf8)
        try foreign.localSoftware("one", steps: [])
        try foreign.project(dependencies: ["one"])
        let refused = try await foreign.omnibus(["build", "app"])
        #expect(refused.status == 2)
        #expect(try String(contentsOfFile: foreign.installDir + "/data", encoding: .utf8) == "mine")
    }

    @Test func cleanAllRemovesOnlyThatProjectsLayers() async throws {
        let repo = try simple("clean-one")
        try repo.project("other", dependencies: ["one"], installDir: repo.installDir + "-other")
        #expect(try await repo.omnibus(["build", "app"]).status == 0)
        #expect(try await repo.omnibus(["build", "other"]).status == 0)
        let layers = { (try? FileManager.default.contentsOfDirectory(atPath: repo.cacheDir + "/layers"))?.filter { !$0.hasPrefix(".") } ?? [] }
        #expect(layers().count == 2)
        let clean = try await repo.omnibus(["clean", "app", "--all"])
        #expect(clean.status == 0, "\(clean.stderr)")
        #expect(layers().count == 1, "the other project's layer stays")
        let again = try await repo.omnibus(["build", "other"])
        #expect(again.stdout.contains("(0 built, 1 restored from cache)"), "\(again.stdout)")
    }
}
