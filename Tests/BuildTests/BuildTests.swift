import Foundation
import Testing

/// End-to-end builds of real C sources with the real compiler, through the real binary.
@Suite(.serialized) struct BuildTests {
    /// The example's library and program, as path sources, into a private install dir.
    func exampleRepository() throws -> TestRepository {
        let repo = try TestRepository("example")
        try repo.copyFromOmnibus("src/libgreet", to: "src/libgreet")
        try repo.copyFromOmnibus("src/greet", to: "src/greet")
        try repo.copyFromOmnibus("Software/libgreet.yml", to: "Software/libgreet.yml")
        try repo.copyFromOmnibus("Software/greet.yml", to: "Software/greet.yml")
        try repo.project(dependencies: ["greet"])
        return repo
    }

    @Test func exampleBuildsAndLoadsItsLibraryFromEmbedded() async throws {
        let repo = try exampleRepository()
        let build = try await repo.omnibus(["build", "app"])
        #expect(build.status == 0, "\(build.stdout)\n\(build.stderr)")
        let program = repo.installDir + "/bin/greet"
        let run = try await CommandResult.run([program, "omnibus"])
        #expect(run.stdout == "Hello, omnibus!\n")
        #expect(try await CommandResult.run([program, "--version"]).stdout == "greet (libgreet 1.0.0)\n")

        let dynamic = try await CommandResult.run(["readelf", "-d", repo.installDir + "/embedded/bin/greet"]).stdout
        #expect(dynamic.contains("(NEEDED)") && dynamic.contains("[libgreet.so.1]"))
        #expect(dynamic.contains("[\(repo.installDir)/embedded/lib]"))
        // The loader's own account of where libgreet came from.
        let trace = try await CommandResult.run([program], environment: ["LD_DEBUG": "libs"]).stderr
        #expect(trace.contains("calling init: \(repo.installDir)/embedded/lib/libgreet.so.1"))

        let manifest = try JSONSerialization.jsonObject(
            with: Data(contentsOf: URL(fileURLWithPath: repo.installDir + "/version-manifest.json"))) as? [String: Any]
        let software = manifest?["software"] as? [String: [String: Any]]
        #expect(Set(software?.keys.map { $0 } ?? []) == ["greet", "libgreet"])
        #expect(software?["libgreet"]?["source_type"] as? String == "path")
        #expect((software?["libgreet"]?["checksum"] as? String)?.hasPrefix("tree-sha256:") == true)
        #expect(FileManager.default.fileExists(atPath: repo.installDir + "/LICENSES/libgreet/LICENSE"))
        let summary = try String(contentsOfFile: repo.installDir + "/LICENSE", encoding: .utf8)
        #expect(summary.hasPrefix("app 1.0.0-1: Unspecified\n"))
        #expect(summary.contains("\nlibgreet 1.0.0\n  license: ISC\n  license files: LICENSES/libgreet/LICENSE\n  source: ../src/libgreet\n"))
        #expect(summary.contains("\ngreet 1.0.0\n  license: ISC\n"))
        #expect(FileManager.default.fileExists(atPath: repo.workDir + "/app/logs/libgreet.log"))
    }

    @Test func aStagedSoftwareWritingIntoTheLiveInstallDirIsStopped() async throws {
        let repo = try TestRepository("stray")
        try repo.write("src/stray/Makefile", "DESTDIR =\ninstall:\n\tmkdir -p $(DESTDIR)$(PREFIX)/lib\n\techo lib > $(DESTDIR)$(PREFIX)/lib/libstray.so\n")
        try repo.localSoftware("stray", steps: [#"make: [install, "PREFIX={{embedded}}"]"#])
        try repo.project(dependencies: ["stray"])
        let build = try await repo.omnibus(["build", "app"])
        #expect(build.status == 1)
        #expect(build.stderr.contains("stray wrote into the install dir \(repo.installDir) instead of its staging root $DESTDIR: embedded/lib/libstray.so. A Makefile that sets DESTDIR itself ignores the environment's: pass it on make's command line"))

        // The same Makefile given DESTDIR on the command line stages properly.
        try repo.localSoftware("stray", steps: [#"make: [install, "PREFIX={{embedded}}", "DESTDIR={{destdir}}"]"#])
        let fixed = try await repo.omnibus(["build", "app"])
        #expect(fixed.status == 0, "\(fixed.stderr)")
        let layer = try String(contentsOfFile: repo.workDir + "/app/layers/stray.json", encoding: .utf8)
        #expect(layer.contains("embedded/lib/libstray.so"))
    }

    @Test func softwareWithoutLicenseFilesIsWarnedAboutOrRefused() async throws {
        let repo = try TestRepository("licenses")
        try repo.localSoftware("bare", version: "2", steps: [#"mkdir: "{{embedded}}/share""#])
        try repo.project(dependencies: ["bare"])
        let warned = try await repo.omnibus(["build", "app"])
        #expect(warned.status == 0, "\(warned.stderr)")
        #expect((warned.stdout + warned.stderr).contains("warning: no 'license_files' for bare: LICENSE names their license but the package carries no license text"))
        let summary = try String(contentsOfFile: repo.installDir + "/LICENSE", encoding: .utf8)
        #expect(summary.contains("\nbare 2\n  license: MIT\n  license files: none given\n"))
        // validate warns the same way, at the definition's license, and passes.
        let validated = try await repo.omnibus(["validate"])
        #expect(validated.status == 0, "\(validated.stderr)")
        #expect(validated.stderr == "Software/bare.yml:3:10: warning: no 'license_files' for bare: LICENSE names their license but the package carries no license text (set 'require_license_files: true' in Projects/app.yml to make this an error)\n")

        try repo.project(dependencies: ["bare"], extra: "require_license_files: true")
        let refused = try await repo.omnibus(["build", "app"])
        #expect(refused.status == 2)
        #expect(refused.stderr.contains("Projects/app.yml: 'require_license_files' is set, and these software name no 'license_files': bare"))
        let invalid = try await repo.omnibus(["validate", "app"])
        #expect(invalid.status == 2)
        #expect(invalid.stderr == """
            Software/bare.yml:3:10: no 'license_files' for bare, and Projects/app.yml sets 'require_license_files: true' (name the license texts in its source)
            1 problem found

            """)
    }

    @Test func buildSeesOnlyThePinnedEnvironment() async throws {
        let repo = try TestRepository("env")
        try repo.localSoftware("probe", extra: [#"env: { EXTRA_FLAG: "-DPROBE={{version}}" }"#],
                               steps: [#"mkdir: "{{embedded}}/share""#, #"run: "env | sort > $DESTDIR{{embedded}}/share/env.txt""#])
        try repo.project(dependencies: ["probe"], extra: "pass_env: [ALLOWED_VAR]")
        let build = try await repo.omnibus(["build", "app"], environment: ["LEAKY_VAR": "leak", "ALLOWED_VAR": "ok"])
        #expect(build.status == 0, "\(build.stderr)")
        let env = try String(contentsOfFile: repo.installDir + "/embedded/share/env.txt", encoding: .utf8)
        let lines = Set(env.split(separator: "\n").map(String.init))
        let embedded = repo.installDir + "/embedded"
        #expect(lines.contains("LDFLAGS=-Wl,-rpath,\(embedded)/lib -L\(embedded)/lib"))
        #expect(lines.contains("CPPFLAGS=-I\(embedded)/include"))
        #expect(lines.contains("LD_RUN_PATH=\(embedded)/lib"))
        #expect(lines.contains("PKG_CONFIG_PATH=\(embedded)/lib/pkgconfig:\(embedded)/share/pkgconfig"))
        #expect(lines.contains("LC_ALL=C") && lines.contains("TZ=UTC"))
        #expect(lines.contains("EXTRA_FLAG=-DPROBE=1"))
        #expect(lines.contains("ALLOWED_VAR=ok"))
        #expect(!env.contains("LEAKY_VAR"))
        // The prefix map travels with the compiler wrappers, never in the flags configure records.
        #expect(lines.contains("CFLAGS=-I\(embedded)/include -O2"))
        #expect(!env.contains("file-prefix-map"))
        #expect(lines.contains { $0.hasPrefix("PATH=\(repo.installDir)/bin:\(embedded)/bin:") && $0.contains("/compilers/probe:") })
    }

    @Test func urlSourceIsDownloadedOnceVerifiedAndCached() async throws {
        let repo = try exampleRepository()
        let served = repo.root + "/../served"
        try FileManager.default.createDirectory(atPath: served, withIntermediateDirectories: true)
        let tar = try await CommandResult.run(["tar", "-C", repo.root + "/src", "--transform", "s,^libgreet,libgreet-1.0.0,",
                                         "-czf", served + "/libgreet-1.0.0.tar.gz", "libgreet"])
        #expect(tar.status == 0)
        let sha = String(try await CommandResult.run(["sha256sum", served + "/libgreet-1.0.0.tar.gz"]).stdout.prefix(64))
        let server = try LocalHTTPServer(serving: served)
        try repo.write("Software/libgreet.yml", """
            name: libgreet
            default_version: "1.0.0"
            license: ISC
            license_files: [LICENSE]
            versions:
              "1.0.0":
                source: { url: "\(server.url)/libgreet-1.0.0.tar.gz", sha256: \(sha) }
            build:
              - make: ["PREFIX={{embedded}}", "VERSION={{version}}"]
              - make: [install, "PREFIX={{embedded}}", "VERSION={{version}}"]
            """)
        let first = try await repo.omnibus(["build", "app"])
        #expect(first.status == 0, "\(first.stdout)\n\(first.stderr)")
        #expect(server.requests == ["GET /libgreet-1.0.0.tar.gz"])
        #expect(try await CommandResult.run([repo.installDir + "/bin/greet"]).stdout == "Hello, world!\n")

        let cached = try await repo.omnibus(["build", "app"])
        #expect(cached.status == 0)
        #expect(cached.stderr.contains("libgreet: restored from cache"))
        #expect(cached.stdout.contains("(0 built, 2 restored from cache)"))
        let rebuilt = try await repo.omnibus(["build", "app", "--no-cache"])
        #expect(rebuilt.status == 0)
        #expect(rebuilt.stdout.contains("(2 built, 0 restored from cache)"))
        #expect(server.requests.count == 1, "a verified source is never downloaded twice")
    }

    @Test func checksumMismatchStopsWithBothDigests() async throws {
        let repo = try TestRepository("checksum")
        let served = repo.root + "/../served"
        try FileManager.default.createDirectory(atPath: served, withIntermediateDirectories: true)
        try "not the real tarball".write(toFile: served + "/thing-1.tar.gz", atomically: true, encoding: .utf8)
        let actual = String(try await CommandResult.run(["sha256sum", served + "/thing-1.tar.gz"]).stdout.prefix(64))
        let server = try LocalHTTPServer(serving: served)
        let wrong = String(repeating: "0", count: 64)
        try repo.urlSoftware("thing", url: "\(server.url)/thing-1.tar.gz", sha256: wrong)
        try repo.project(dependencies: ["thing"])
        let build = try await repo.omnibus(["build", "app"])
        #expect(build.status == 1)
        #expect(build.stderr.contains(wrong))
        #expect(build.stderr.contains(actual))
        let leftovers = (FileManager.default.enumerator(atPath: repo.cacheDir)?.allObjects as? [String] ?? [])
            .filter { $0.hasSuffix("thing-1.tar.gz") }
        #expect(leftovers.isEmpty, "the bad download must be deleted: \(leftovers)")
    }

    @Test func tarballEscapingItsDirectoryIsRefused() async throws {
        let repo = try TestRepository("escape")
        let served = repo.root + "/../served"
        try FileManager.default.createDirectory(atPath: served, withIntermediateDirectories: true)
        let script = """
            import tarfile, io
            with tarfile.open('\(served)/evil-1.tar.gz', 'w:gz') as t:
                data = b'owned\\n'
                info = tarfile.TarInfo('evil-1/../../escaped.txt'); info.size = len(data)
                t.addfile(info, io.BytesIO(data))
            """
        #expect(try await CommandResult.run(["python3", "-c", script]).status == 0)
        let sha = String(try await CommandResult.run(["sha256sum", served + "/evil-1.tar.gz"]).stdout.prefix(64))
        try repo.write("Software/evil.yml", """
            name: evil
            default_version: "1"
            license: MIT
            versions:
              "1":
                source: { url: "file://\(served)/evil-1.tar.gz", sha256: \(sha) }
            build: []
            """)
        try repo.project(dependencies: ["evil"])
        let build = try await repo.omnibus(["build", "app"])
        #expect(build.status == 1)
        #expect(build.stderr.contains("evil-1/../../escaped.txt"))
        #expect(!FileManager.default.fileExists(atPath: repo.workDir + "/app/escaped.txt"))
        #expect(!FileManager.default.fileExists(atPath: repo.workDir + "/escaped.txt"))
    }
}
