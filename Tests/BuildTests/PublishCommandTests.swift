import Foundation
import Testing

/// `omnibus publish` through the real binary: a built project's deb and rpm go into the
/// repositories named on the command line or in omnibus.config.yml, signed with the configured key.
@Suite(.serialized) struct PublishCommandTests {
    static let hasGPG = FileManager.default.isExecutableFile(atPath: "/usr/bin/gpg")

    func builtRepository() async throws -> TestRepository {
        let repo = try TestRepository("publish")
        try repo.localSoftware("one", steps: [#"mkdir: "{{embedded}}/share""#, #"run: "echo one > $DESTDIR{{embedded}}/share/one""#])
        try repo.project(dependencies: ["one"], extra: "package:\n  formats: [deb, rpm]\n")
        let build = try await repo.omnibus(["build", "app"], environment: ["SOURCE_DATE_EPOCH": "1700000000"])
        try #require(build.status == 0, "\(build.stdout)\n\(build.stderr)")
        return repo
    }

    @Test func refusesWithoutARepositoryOrAKeyAndSaysHowToGiveThem() async throws {
        let repo = try await builtRepository()
        let nowhere = try await repo.omnibus(["publish", "app"], environment: ["OMNIBUS_SIGNING_KEY": ""])
        #expect(nowhere.status == 2)
        #expect(nowhere.stderr.contains("--apt-repo DIR") && nowhere.stderr.contains("publish:"), "\(nowhere.stderr)")
        let unsigned = try await repo.omnibus(["publish", "app", "--apt-repo", repo.root + "/apt"], environment: ["OMNIBUS_SIGNING_KEY": ""])
        #expect(unsigned.status == 2)
        #expect(unsigned.stderr.contains("must be signed") && unsigned.stderr.contains("--no-sign"), "\(unsigned.stderr)")
        #expect(!FileManager.default.fileExists(atPath: repo.root + "/apt"))

        try repo.write("omnibus.config.yml", "publish:\n  apt:\n    pth: apt\n")
        let typo = try await repo.omnibus(["publish", "app", "--no-sign"])
        #expect(typo.status == 2)
        #expect(typo.stderr.contains("omnibus.config.yml") && typo.stderr.contains("pth") && typo.stderr.contains("path"), "\(typo.stderr)")
    }

    @Test func unsignedOnRequestIntoRepositoriesFromTheConfig() async throws {
        let repo = try await builtRepository()
        try repo.write("omnibus.config.yml", "publish:\n  apt: {path: out/apt, suite: edge, component: tools}\n  yum: {path: out/yum}\n")
        let published = try await repo.omnibus(["publish", "app", "--no-sign"], environment: ["OMNIBUS_SIGNING_KEY": ""])
        #expect(published.status == 0, "\(published.stdout)\n\(published.stderr)")
        #expect(published.stdout.contains("UNSIGNED"))
        let release = try String(contentsOfFile: repo.root + "/out/apt/dists/edge/Release", encoding: .utf8)
        #expect(release.contains("Suite: edge\n") && release.contains("Components: tools\n") && release.contains("Origin: app\n"))
        #expect(release.contains("Date: Tue, 14 Nov 2023 22:13:20 UTC\n"), "\(release)")
        #expect(!FileManager.default.fileExists(atPath: repo.root + "/out/apt/dists/edge/InRelease"))
        #expect(FileManager.default.fileExists(atPath: repo.root + "/out/yum/repodata/repomd.xml"))
        #expect(!FileManager.default.fileExists(atPath: repo.root + "/out/yum/repodata/repomd.xml.asc"))

        let again = try await repo.omnibus(["publish", "app", "--no-sign"], environment: ["OMNIBUS_SIGNING_KEY": ""])
        #expect(again.status == 0 && again.stdout.contains("already there") && again.stdout.contains("nothing changed"), "\(again.stdout)")
    }

    @Test(.enabled(if: hasGPG, "needs gpg"))
    func signsWithTheKeyFromTheEnvironment() async throws {
        let repo = try await builtRepository()
        let home = "/tmp/gp" + String(UInt32.random(in: 0...UInt32.max), radix: 36)
        try FileManager.default.createDirectory(atPath: home, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        defer {
            _ = try? CommandResult.runBriefly(["/usr/bin/gpgconf", "--kill", "all"], environment: ["GNUPGHOME": home])
            try? FileManager.default.removeItem(atPath: home)
        }
        let key = try await CommandResult.run(["/usr/bin/gpg", "--batch", "--passphrase", "", "--quick-gen-key", "Publish Test <p@example.com>",
                                         "ed25519", "sign", "never"], environment: ["GNUPGHOME": home])
        try #require(key.status == 0, "\(key.stderr)")
        let environment = ["GNUPGHOME": home, "OMNIBUS_SIGNING_KEY": "p@example.com"]
        let published = try await repo.omnibus(["publish", "app", "--apt-repo", repo.root + "/apt", "--yum-repo", repo.root + "/yum"],
                                         environment: environment)
        #expect(published.status == 0, "\(published.stdout)\n\(published.stderr)")
        #expect(published.stdout.contains("signed"))
        for (signature, signed) in [("apt/dists/stable/Release.gpg", "apt/dists/stable/Release"),
                                    ("yum/repodata/repomd.xml.asc", "yum/repodata/repomd.xml")] {
            let verify = try await CommandResult.run(["/usr/bin/gpg", "--batch", "--verify", repo.root + "/" + signature, repo.root + "/" + signed],
                                               environment: ["GNUPGHOME": home])
            #expect(verify.status == 0, "\(signature): \(verify.stderr)")
        }
        let clear = try await CommandResult.run(["/usr/bin/gpg", "--batch", "--verify", repo.root + "/apt/dists/stable/InRelease"],
                                          environment: ["GNUPGHOME": home])
        #expect(clear.status == 0, "\(clear.stderr)")
        #expect(FileManager.default.fileExists(atPath: repo.root + "/apt/key.asc") && FileManager.default.fileExists(atPath: repo.root + "/yum/key.asc"))
    }
}
