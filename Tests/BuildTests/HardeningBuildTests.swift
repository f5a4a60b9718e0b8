import Foundation
import Testing

/// Inputs an audit found that built, then failed late or produced something wrong; each must now
/// be stopped early with a message, or handled right.
@Suite(.serialized) struct HardeningBuildTests {
    @Test func aSparseFileStaysSparseInTheInstallDir() async throws {
        let repo = try TestRepository("sparse")
        try repo.localSoftware("img", steps: [
            #"mkdir: "{{embedded}}/share""#,
            #"run: "truncate -s 64M $DESTDIR{{embedded}}/share/disk.img && printf x | dd of=$DESTDIR{{embedded}}/share/disk.img bs=1 seek=1000000 conv=notrunc 2>/dev/null""#,
        ])
        try repo.project(dependencies: ["img"], extra: "package:\n  formats: [tar]\n")
        let build = try await repo.omnibus(["build", "app"])
        #expect(build.status == 0, "\(build.stdout)\(build.stderr)")
        var info = stat()
        #expect(stat(repo.installDir + "/embedded/share/disk.img", &info) == 0)
        #expect(info.st_size == 64 << 20)
        #expect(Int(info.st_blocks) * 512 < 1 << 20, "merged copy allocates \(Int(info.st_blocks) * 512) bytes for a sparse file")
        let data = try FileHandle(forReadingFrom: URL(fileURLWithPath: repo.installDir + "/embedded/share/disk.img"))
        try data.seek(toOffset: 1_000_000)
        #expect(try data.read(upToCount: 1) == Data("x".utf8))
    }

    @Test func aNameDpkgCannotInstallStopsPackagingWithThePath() async throws {
        let repo = try TestRepository("longname")
        let name = String(repeating: "n", count: 250)
        try repo.localSoftware("long", steps: [#"mkdir: "{{embedded}}/share""#, "run: \"touch $DESTDIR{{embedded}}/share/\(name)\""])
        try repo.project(dependencies: ["long"])
        let build = try await repo.omnibus(["build", "app"])
        #expect(build.status == 1)
        #expect(build.stderr.contains("is 250 bytes; dpkg installs through a temporary name 9 bytes longer"), "\(build.stderr)")
        #expect(((try? FileManager.default.contentsOfDirectory(atPath: repo.root + "/pkg")) ?? []).isEmpty)
    }

    @Test func aFileRpmCannotCarryIsRefusedBeforeAnyPackageIsWritten() async throws {
        let repo = try TestRepository("huge")
        try repo.localSoftware("huge", steps: [#"mkdir: "{{embedded}}/share""#, #"run: "truncate -s 4097M $DESTDIR{{embedded}}/share/huge.img""#])
        try repo.project(dependencies: ["huge"], extra: "package:\n  formats: [deb, rpm]\n")
        let build = try await repo.omnibus(["build", "app"])
        #expect(build.status == 1)
        #expect(build.stderr.contains("rpm: ") && build.stderr.contains("files of 4 GiB or more do not fit rpm's cpio payload"), "\(build.stderr)")
        #expect(!build.stdout.contains("wrote "))
        #expect(((try? FileManager.default.contentsOfDirectory(atPath: repo.root + "/pkg")) ?? []).isEmpty)
    }

    func modes(_ repo: TestRepository, failOn: String = "") async throws -> CommandResult {
        try repo.localSoftware("modes", steps: [
            #"mkdir: "{{embedded}}/bin""#,
            #"run: "printf '#!/bin/sh\n' > $DESTDIR{{embedded}}/bin/su-tool && chmod 4755 $DESTDIR{{embedded}}/bin/su-tool""#,
            #"run: "touch $DESTDIR{{embedded}}/shared.log && chmod 666 $DESTDIR{{embedded}}/shared.log""#,
        ])
        try repo.project(dependencies: ["modes"], extra: "package:\n  formats: [tar]\n" + failOn)
        return try await repo.omnibus(["build", "app"])
    }

    @Test func worldWritableAndSetuidFilesAreWarnedAbout() async throws {
        let repo = try TestRepository("modes-warn")
        let build = try await modes(repo)
        #expect(build.status == 0, "\(build.stderr)")
        #expect(build.stdout.contains("warning: embedded/bin/su-tool is setuid or setgid (mode 4755)"))
        #expect(build.stdout.contains("warning: embedded/shared.log is world-writable (mode 666)"))
    }

    @Test func failOnMakesThemStopTheBuild() async throws {
        let repo = try TestRepository("modes-fail")
        let build = try await modes(repo, failOn: "health_check:\n  fail_on: [world-writable]\n")
        #expect(build.status == 1)
        #expect(build.stderr.contains("embedded/shared.log is world-writable"))
        #expect(build.stderr.contains("health_check.fail_on lists world-writable"))
        #expect(((try? FileManager.default.contentsOfDirectory(atPath: repo.root + "/pkg")) ?? []).isEmpty)
    }

    /// Every definition field that reaches an artifact's file name, with a value that would leave
    /// the output dir: refused by validate, or (from the environment) before anything is built.
    @Test func noFieldCanPlaceAnArtifactOutsideTheOutputDir() async throws {
        let repo = try TestRepository("escape")
        try repo.localSoftware("x", steps: [])
        let escape = "1.0/../../../../../../../tmp/omnibus-escaped-\(UUID().uuidString.prefix(8))"
        try repo.write("Projects/app.yml", """
            name: app
            maintainer: Test <test@example.com>
            homepage: https://example.com
            version: { from: env, variable: APP_VERSION, default: "1.0" }
            install_dir: \(repo.installDir)
            dependencies: [x]
            """)
        let fromEnvironment = try await repo.omnibus(["build", "app"], environment: ["APP_VERSION": escape])
        #expect(fromEnvironment.status == 2, "\(fromEnvironment.stderr)")
        #expect(fromEnvironment.stderr.contains("must not contain '/'"), "\(fromEnvironment.stderr)")
        #expect(!FileManager.default.fileExists(atPath: "/tmp/" + (escape as NSString).lastPathComponent + "-1.version-manifest.json"))
        // Written in the definition: the name, the version and the iteration are the fields in file names.
        let cases = [
            ("version", "name: app\nversion: \"\(escape)\"", "must not contain '/'"),
            ("name", "name: ../app\nversion: \"1.0\"", "does not match the file name"),
            ("iteration", "name: app\nversion: \"1.0\"\niteration: \"1/2\"", "'iteration' must be a whole number"),
        ]
        for (field, lines, message) in cases {
            try repo.write("Projects/app.yml", lines + """

                maintainer: Test <test@example.com>
                homepage: https://example.com
                install_dir: \(repo.installDir)
                dependencies: [x]
                """)
            let validate = try await repo.omnibus(["validate", "app"])
            #expect(validate.status == 2, "\(field): \(validate.stdout)\(validate.stderr)")
            #expect(validate.stderr.contains("Projects/app.yml:") && validate.stderr.contains(message), "\(field): \(validate.stderr)")
        }
    }
}
