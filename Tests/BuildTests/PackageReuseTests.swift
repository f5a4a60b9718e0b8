import Foundation
import Testing

/// A rebuild whose packages would come out the same takes them from the package cache instead of
/// writing them again; anything their bytes depend on makes it write them.
@Suite struct PackageReuseTests {
    /// `app` with one software, deb, rpm and tar, a `files:` entry and a maintainer script.
    static func repository(_ label: String) throws -> TestRepository {
        let repo = try TestRepository(label)
        try repo.localSoftware("thing", steps: [#"mkdir: "{{embedded}}/share""#,
                                                #"run: "cp README $DESTDIR{{embedded}}/share/thing""#])
        try repo.write("PackageScripts/app/app.conf", "setting = 1\n")
        try repo.write("PackageScripts/app/postrm", "#!/bin/sh\nexit 0\n")
        try project(repo, description: "A thing")
        return repo
    }

    static func project(_ repo: TestRepository, description: String) throws {
        try repo.project(dependencies: ["thing"], extra: """
            description: \(description)
            package: { formats: [deb, rpm, tar] }
            files:
              - { path: /etc/app/app.conf, type: config, source: PackageScripts/app/app.conf }
            """)
    }

    /// Every file in `pkg/` but the build report (which holds the run's times), by name.
    static func outputs(_ repo: TestRepository) throws -> [String: Data] {
        let directory = repo.root + "/pkg"
        var files: [String: Data] = [:]
        for name in try FileManager.default.contentsOfDirectory(atPath: directory)
        where !name.hasPrefix(".") && !name.hasSuffix(".build.json") {
            files[name] = try Data(contentsOf: URL(fileURLWithPath: directory + "/" + name))
        }
        return files
    }

    static func reused(_ repo: TestRepository) throws -> Bool? {
        let report = try #require(try FileManager.default.contentsOfDirectory(atPath: repo.root + "/pkg").first { $0.hasSuffix(".build.json") })
        return try BuildReportTests.json(at: repo.root + "/pkg/" + report)["packages_reused"] as? Bool
    }

    static let epoch = ["SOURCE_DATE_EPOCH": "1700000000"]

    @Test func aRebuildWithNothingChangedPutsTheSameBytesInPlace() async throws {
        let repo = try Self.repository("reuse")
        let first = try await repo.omnibus(["build", "app"], environment: Self.epoch)
        #expect(first.status == 0, "\(first.stderr)")
        #expect(try Self.reused(repo) == false)
        let written = try Self.outputs(repo)
        #expect(written.keys.contains { $0.hasSuffix(".deb") } && written.keys.contains { $0.hasSuffix(".rpm") }
                && written.keys.contains { $0.hasSuffix(".cdx.json") } && written.keys.contains { $0.hasSuffix(".version-manifest.json") },
                "\(written.keys.sorted())")

        let again = try await repo.omnibus(["build", "app"], environment: Self.epoch)
        #expect(again.status == 0, "\(again.stderr)")
        #expect(again.stdout.contains("packages reused from the package cache"), "\(again.stdout)")
        for name in written.keys where name.hasSuffix(".deb") || name.hasSuffix(".rpm") || name.hasSuffix(".tar.gz") {
            #expect(again.stdout.contains("reused \(repo.root)/pkg/\(name) ("), "\(again.stdout)")
        }
        #expect(!again.stdout.contains("wrote \(repo.root)/pkg/app"), "\(again.stdout)")
        #expect(try Self.reused(repo) == true)
        #expect(try Self.outputs(repo) == written)

        // What reuse put in place is what packaging writes now (`package` never reuses).
        let packaged = try await repo.omnibus(["package", "app"], environment: Self.epoch)
        #expect(packaged.status == 0, "\(packaged.stderr)")
        #expect(!(packaged.stdout + packaged.stderr).contains("replaced a file of the same name"))
        #expect(try Self.outputs(repo) == written)
    }

    @Test func aPackagingSettingOrTheBytesOfAFilesSourceRepackage() async throws {
        let repo = try Self.repository("repack")
        #expect(try await repo.omnibus(["build", "app"], environment: Self.epoch).status == 0)
        let first = try Self.outputs(repo)

        try Self.project(repo, description: "Another description")
        let described = try await repo.omnibus(["build", "app"], environment: Self.epoch)
        #expect(described.status == 0, "\(described.stderr)")
        #expect(try Self.reused(repo) == false)
        #expect(described.stdout.contains("packaged in"), "\(described.stdout)")

        try repo.write("PackageScripts/app/app.conf", "setting = 2\n")
        let edited = try await repo.omnibus(["build", "app"], environment: Self.epoch)
        #expect(edited.status == 0, "\(edited.stderr)")
        #expect(try Self.reused(repo) == false)
        let deb = try #require(first.keys.first { $0.hasSuffix(".deb") })
        #expect(try Self.outputs(repo)[deb] != first[deb])

        // Back to the first settings and source: that entry is still there, and still right.
        try Self.project(repo, description: "A thing")
        try repo.write("PackageScripts/app/app.conf", "setting = 1\n")
        let back = try await repo.omnibus(["build", "app"], environment: Self.epoch)
        #expect(back.status == 0, "\(back.stderr)")
        #expect(try Self.reused(repo) == true)
        #expect(try Self.outputs(repo) == first)
    }

    @Test func aDamagedEntryIsNotServed() async throws {
        let repo = try Self.repository("damaged")
        #expect(try await repo.omnibus(["build", "app"], environment: Self.epoch).status == 0)
        let written = try Self.outputs(repo)
        let packages = repo.cacheDir + "/packages"
        let key = try #require(try FileManager.default.contentsOfDirectory(atPath: packages).first { !$0.hasPrefix(".") })
        let rpm = try #require(try FileManager.default.contentsOfDirectory(atPath: packages + "/" + key).first { $0.hasSuffix(".rpm") })
        // A copy with one byte changed, put in place of the cached file (not written through it:
        // the cache may share the file with pkg/).
        var bytes = try Data(contentsOf: URL(fileURLWithPath: packages + "/" + key + "/" + rpm))
        bytes[bytes.count / 2] ^= 0xff
        try FileManager.default.removeItem(atPath: packages + "/" + key + "/" + rpm)
        try bytes.write(to: URL(fileURLWithPath: packages + "/" + key + "/" + rpm))

        let again = try await repo.omnibus(["build", "app"], environment: Self.epoch)
        #expect(again.status == 0, "\(again.stderr)")
        #expect((again.stdout + again.stderr).contains("warning: the cached packages \(key) were damaged (\(rpm) does not have the SHA-256 it was stored with)"),
                "\(again.stdout)\(again.stderr)")
        #expect(try Self.reused(repo) == false)
        #expect(try Self.outputs(repo) == written)
        // Written again, and kept again: the next build reuses the sound entry.
        #expect(try await repo.omnibus(["build", "app"], environment: Self.epoch).status == 0)
        #expect(try Self.reused(repo) == true)
        #expect(try Self.outputs(repo) == written)
    }

    /// `omnibus cache` lists, verifies and clears package sets with the layers.
    @Test func theCacheCommandsKnowPackageSets() async throws {
        let repo = try Self.repository("reuse-cache-cmd")
        #expect(try await repo.omnibus(["build", "app"], environment: Self.epoch).status == 0)
        func cache(_ arguments: [String]) async throws -> CommandResult {
            try await CommandResult.run([OmnibusBinaryPath.path, "cache"] + arguments + ["--root", repo.root, "--cache-dir", repo.cacheDir])
        }
        let listed = try await cache(["list"])
        #expect(listed.status == 0 && listed.stdout.contains("1 package set, "), "\(listed.stdout)\(listed.stderr)")
        #expect(listed.stdout.contains("packages deb, rpm, tar (") && listed.stdout.contains("project app"), "\(listed.stdout)")

        let packages = repo.cacheDir + "/packages"
        let key = try #require(try FileManager.default.contentsOfDirectory(atPath: packages).first { !$0.hasPrefix(".") })
        let tar = try #require(try FileManager.default.contentsOfDirectory(atPath: packages + "/" + key).first { $0.hasSuffix(".tar.gz") })
        var bytes = try Data(contentsOf: URL(fileURLWithPath: packages + "/" + key + "/" + tar))
        bytes[bytes.count / 2] ^= 0xff
        try FileManager.default.removeItem(atPath: packages + "/" + key + "/" + tar)
        try bytes.write(to: URL(fileURLWithPath: packages + "/" + key + "/" + tar))
        let verified = try await cache(["verify"])
        #expect(verified.status == 1, "\(verified.stdout)\(verified.stderr)")
        #expect(verified.stdout.contains("1 package set checked, 1 damaged") && verified.stdout.contains("\(tar) does not have the SHA-256"),
                "\(verified.stdout)")
        #expect(!FileManager.default.fileExists(atPath: packages + "/" + key))

        #expect(try await repo.omnibus(["build", "app"], environment: Self.epoch).status == 0)
        await #expect(try cache(["list"]).stdout.contains("1 package set, "))
        let cleared = try await cache(["clear", "app"])
        #expect(cleared.status == 0, "\(cleared.stderr)")
        await #expect(try cache(["list"]).stdout.contains("0 package sets, "))
    }

    @Test(.enabled(if: SigningTools.installed, "gpg, gpgconf, rpm or rpmkeys is not installed"))
    func signedPackagesAreReusedWithTheirSignatures() async throws {
        let keyring = try await SigningBuildTests.Keyring()
        defer { keyring.remove() }
        let repo = try Self.repository("reusesigned")
        try repo.write("omnibus.config.yml", "signing:\n  key: \(keyring.fingerprint)\n  gnupg_home: \(keyring.home)\n")
        #expect(try await repo.omnibus(["build", "app"], environment: Self.epoch).status == 0)
        let written = try Self.outputs(repo)
        #expect(written.keys.contains { $0.hasSuffix(".tar.gz.asc") }, "\(written.keys.sorted())")
        let again = try await repo.omnibus(["build", "app"], environment: Self.epoch)
        #expect(again.status == 0, "\(again.stderr)")
        #expect(try Self.reused(repo) == true)
        #expect(try Self.outputs(repo) == written)
        let tar = try #require(written.keys.first { $0.hasSuffix(".tar.gz") })
        let verified = try await CommandResult.run(["gpg", "--batch", "--homedir", keyring.home, "--verify",
                                              repo.root + "/pkg/" + tar + ".asc", repo.root + "/pkg/" + tar])
        #expect(verified.status == 0, "\(verified.stderr)")

        // Unsigned is another key: written, and no signature left beside it.
        let unsigned = try await repo.omnibus(["build", "app", "--no-sign"], environment: Self.epoch)
        #expect(unsigned.status == 0, "\(unsigned.stderr)")
        #expect(try Self.reused(repo) == false)
        #expect(!(try Self.outputs(repo)).keys.contains { $0.hasSuffix(".asc") })
    }
}
