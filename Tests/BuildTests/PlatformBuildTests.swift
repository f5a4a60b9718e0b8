import Foundation
import Testing

/// The demo built for debian-12 and debian-13 in one command, each in its clean root, then the
/// portability matrix installing each package into a fresh bare root of both releases.
@Suite(.serialized) struct PlatformBuildTests {
    static let installDir = "/opt/omnibus-roots-demo"

    /// The host's own build installs on debian-12 only when the host is Debian 12 (or older).
    static var isDebian12Host: Bool {
        ((try? String(contentsOfFile: "/etc/os-release", encoding: .utf8)) ?? "").contains("VERSION_ID=\"12\"")
    }

    @Test func demoBuildsForTwoPlatformsAndTheMatrixSaysWhereItRuns() async throws {
        if let reason = TestRoots.unavailable { print("skipped: \(reason)"); return }
        let repo = try TestRepository("platforms")
        for path in ["Software/greet.yml", "Software/libgreet.yml", "src/greet", "src/libgreet"] {
            try repo.copyFromOmnibus(path, to: path)
        }
        let demo = try String(contentsOfFile: TestRepository.repositoryRoot + "/Projects/demo.yml", encoding: .utf8)
            .replacingOccurrences(of: "/opt/demo", with: Self.installDir)
        // demo.yml names its smoke_test (greet --version); the platforms are added here.
        try repo.write("Projects/demo.yml", demo + "platforms: [debian-12, debian-13]\n")
        let hostHadIt = FileManager.default.fileExists(atPath: Self.installDir)

        let output = repo.root + "/pkg"
        let build = try await repo.omnibus(["build", "demo", "--cache-dir", TestRoots.cacheDir, "--output-dir", output])
        #expect(build.status == 0, "\(build.stdout)\n\(build.stderr)")
        // The host's install dir is never made or filled by a platform build.
        #expect(FileManager.default.fileExists(atPath: Self.installDir) == hostHadIt)

        for (platform, version) in [("debian-12", "12"), ("debian-13", "13")] {
            let dir = output + "/" + platform
            let metadata = ((try? FileManager.default.contentsOfDirectory(atPath: dir)) ?? []).filter { $0.hasSuffix(".deb.metadata.json") }
            #expect(metadata.count == 1, "\(dir): \(metadata)")
            if let file = metadata.first, let data = FileManager.default.contents(atPath: dir + "/" + file),
               let object = try JSONSerialization.jsonObject(with: data) as? [String: Any] {
                #expect(object["platform_version"] as? String == version)
                #expect(object["platform"] as? String == "debian")
                // The floor the root's build needs is written into the deb as libc6's Depends.
                let floor = (object["base_system"] as? [String: Any])?["glibc"] as? String
                #expect(floor != nil, "\(file): no glibc floor")
                let deb = dir + "/" + String(file.dropLast(".metadata.json".count))
                let depends = try await CommandResult.run(["dpkg-deb", "-f", deb, "Depends"]).stdout
                #expect(depends.contains("libc6 (>= \(floor ?? "?"))"), "\(deb): Depends \(depends)")
                // No packaged byte names where it was built: not the work dir, not the repository.
                let unpacked = repo.root + "/unpacked-" + platform
                #expect(try await CommandResult.run(["dpkg-deb", "-x", deb, unpacked]).status == 0)
                for leak in [repo.workDir, repo.root + "/src"] {
                    let found = try await CommandResult.run(["grep", "-rlaF", leak, unpacked])
                    #expect(found.stdout.isEmpty, "\(platform): packaged files name \(leak): \(found.stdout)")
                }
            }
        }

        // Built the article's way too, on this machine (a Debian 12 build host): its packages
        // go to the output dir itself, and `--built-on host` makes them a row of the matrix.
        let onHost = try await repo.omnibus(["build", "demo", "--platform", "host", "--cache-dir", TestRoots.cacheDir, "--output-dir", output])
        #expect(onHost.status == 0, "\(onHost.stdout)\n\(onHost.stderr)")
        if !hostHadIt { try? FileManager.default.removeItem(atPath: Self.installDir) }

        let matrix = try await repo.omnibus(["matrix", "demo", "--cache-dir", TestRoots.cacheDir, "--work-dir", repo.workDir,
                                             "--output-dir", output, "--format", "json",
                                             "--built-on", "host", "--built-on", "debian-12", "--built-on", "debian-13",
                                             "--platform", "debian-12", "--platform", "debian-13"])
        let data = Data(matrix.stdout.utf8)
        let cells = ((try? JSONSerialization.jsonObject(with: data) as? [String: Any])?["matrix"] as? [[String: Any]]) ?? []
        #expect(cells.count == 6, "\(matrix.stdout)\n\(matrix.stderr)")
        #expect(!cells.contains { $0["installed_on"] as? String == "host" }, "the host is a row, never a column")
        func cell(_ built: String, _ on: String) -> [String: Any]? {
            cells.first { $0["built_on"] as? String == built && $0["installed_on"] as? String == on }
        }
        if Self.isDebian12Host {
            #expect(cell("host", "debian-12")?["passed"] as? Bool == true, "\(matrix.stdout)")
            #expect(cell("host", "debian-13")?["passed"] as? Bool == true, "\(matrix.stdout)")
        }
        // The smoke test's output comes with each cell (greet --version).
        let smokeOutput = cell("debian-12", "debian-12")?["smoke_output"] as? String ?? ""
        #expect(smokeOutput.contains("greet"), "\(matrix.stdout)")
        // Built on a release, it installs and runs on that release.
        #expect(cell("debian-12", "debian-12")?["passed"] as? Bool == true, "\(matrix.stdout)")
        #expect(cell("debian-13", "debian-13")?["passed"] as? Bool == true, "\(matrix.stdout)")
        // An older release's build runs on the newer one (glibc is backward compatible).
        #expect(cell("debian-12", "debian-13")?["passed"] as? Bool == true, "\(matrix.stdout)")
        // The newer build on the older release: it runs, or dpkg refuses it by a Depends, never a
        // half-installed package whose smoke test fails.
        if let newerOnOlder = cell("debian-13", "debian-12") {
            let passed = newerOnOlder["passed"] as? Bool == true
            let refused = newerOnOlder["installed"] as? Bool == false && (newerOnOlder["reason"] as? String ?? "").contains("depends on")
            #expect(passed || refused, "\(newerOnOlder)")
            print("debian-13 build on debian-12: \(passed ? "runs" : "refused: \(newerOnOlder["reason"] ?? "")")")
        }
        #expect(matrix.status == (cells.allSatisfy { $0["passed"] as? Bool == true } ? 0 : 1))
    }
}

/// A definition whose build would find a header only the host has: built on the host it finds
/// it, built for debian-12 in its clean root it does not.
@Suite struct HostLeakTests {
    @Test func aHostOnlyHeaderDoesNotReachAPlatformBuild() async throws {
        if let reason = TestRoots.unavailable { print("skipped: \(reason)"); return }
        let header = "omnibus-leak-\(getpid()).h"
        try "#define LEAK 1\n".write(toFile: "/usr/local/include/" + header, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(atPath: "/usr/local/include/" + header) }
        let repo = try TestRepository("leak")
        // Like a configure check: the step fails when the compiler finds the header.
        try repo.localSoftware("probe", steps: ["run: \"! printf '#include <\(header)>\\\\n' | cc -E -x c - >/dev/null 2>&1\""])
        try repo.project(dependencies: ["probe"])
        let onHost = try await repo.omnibus(["build", "app", "--no-cache", "--platform", "host"])
        #expect(onHost.status == 1, "the host build should see \(header): \(onHost.stderr)")
        let inRoot = try await repo.omnibus(["build", "app", "--no-cache", "--platform", "debian-12", "--cache-dir", TestRoots.cacheDir])
        #expect(inRoot.status == 0, "\(inRoot.stdout)\n\(inRoot.stderr)")
    }
}
