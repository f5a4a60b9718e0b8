import Foundation
import Testing

/// What a new user meets first: `--version`, a command run in the wrong directory, `mirror`
/// with definitions it cannot fill from Debian.
@Suite struct FirstContactTests {
    @Test func versionFlagPrintsTheFirstLineOfVersion() async throws {
        let flag = try await OmnibusBinary.run(["--version"])
        let command = try await OmnibusBinary.run(["version"])
        #expect(flag.status == 0)
        #expect(flag.stdout == "omnibus 0.1.0\n")
        #expect(command.stdout.split(separator: "\n").first.map(String.init) == "omnibus 0.1.0")
    }

    @Test func commandsOutsideAPackagingRepositoryExitTwoSayingWhereTheyLooked() async throws {
        let empty = try ScratchDirectory("empty")
        let here = try await OmnibusBinary.run(["validate"], in: empty.path)
        #expect(here.status == 2)
        #expect(here.stdout.isEmpty)
        #expect(here.stderr == """
            not a packaging repository: the current directory (\(empty.path)) has no Projects/, Software/ or omnibus.config.yml
              run omnibus inside one, or point at one with --root DIR
              or start one: omnibus new NAME

            """)
        for arguments in [["build", "app"], ["graph", "app"], ["list"], ["package", "app"], ["clean", "app"],
                          ["health-check", "app"], ["mirror", "app", "--dir", empty.path + "/m"], ["publish", "app"]] {
            let result = try await OmnibusBinary.run(arguments + ["--root", empty.path])
            #expect(result.status == 2, "\(arguments)")
            #expect(result.stderr.hasPrefix("not a packaging repository: --root \(empty.path) has no Projects/"), "\(arguments): \(result.stderr)")
        }
    }

    @Test func anyMarkerMakesAPackagingRepository() async throws {
        for marker in ["Projects/", "Software/", "omnibus.config.yml"] {
            let repo = try ScratchDirectory("marker")
            if marker.hasSuffix("/") {
                try FileManager.default.createDirectory(atPath: repo.path + "/" + marker, withIntermediateDirectories: true)
            } else {
                try repo.write(marker, "# defaults\n")
            }
            let result = try await OmnibusBinary.run(["validate", "--root", repo.path], environment: ["OMNIBUS_LIBRARY": "/nonexistent"])
            #expect(result.status == 0, "\(marker): \(result.stderr)")
            #expect(result.stdout == "ok: 0 projects, 0 software definitions valid\n", "\(marker)")
        }
    }

    @Test func theLayerCacheNeedsNoRepository() async throws {
        let empty = try ScratchDirectory("cache")
        let result = try await OmnibusBinary.run(["cache", "list", "--cache-dir", empty.path + "/cache"], in: empty.path)
        #expect(result.status == 0, "\(result.stderr)")
    }

    /// A repository whose project needs one file source without `debian:` (an empty file, so
    /// its checksum is known).
    static func repositoryWithoutDebianSource() throws -> ScratchDirectory {
        let repo = try ScratchDirectory("mirror")
        try repo.write("Software/hello.yml", """
            name: hello
            default_version: "1"
            license: MIT
            license_files: [COPYING]
            versions:
              "1":
                source: { url: "https://example.com/hello-1.tar.gz", sha256: e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855 }
            build: []

            """)
        try repo.write("Projects/app.yml", """
            name: app
            maintainer: Test <test@example.com>
            homepage: https://example.com
            version: "1.0.0"
            install_dir: /opt/app
            dependencies: [hello]

            """)
        return repo
    }

    @Test func mirrorExitsOneListingDefinitionsWithoutDebianSource() async throws {
        let repo = try Self.repositoryWithoutDebianSource()
        let mirror = repo.path + "/mirror"
        let result = try await OmnibusBinary.run(["mirror", "app", "--dir", mirror, "--root", repo.path],
                                           environment: ["OMNIBUS_LIBRARY": "/nonexistent"])
        #expect(result.status == 1)
        #expect(result.stdout == "nothing to fetch from Debian for app\n")
        #expect(result.stderr == """
            skipped 1 definition that name no Debian source package:
              hello (Software/hello.yml): add 'debian: <source package>[=<version>]' to its source, or put hello-1.tar.gz (sha256:e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855) in \(mirror) yourself

            """)

        // Put there by hand with the right checksum, it is no longer missing.
        try repo.write("mirror/hello-1.tar.gz", "")
        let filled = try await OmnibusBinary.run(["mirror", "app", "--dir", mirror, "--root", repo.path],
                                           environment: ["OMNIBUS_LIBRARY": "/nonexistent"])
        #expect(filled.status == 0, "\(filled.stderr)")
        #expect(filled.stdout.hasSuffix("mirror ready: omnibus build app --source-mirror \(mirror)\n"))
    }
}
