import Foundation
import Testing

/// The layer key covers every input of a software's build: changing any one of them rebuilds
/// exactly that software and what depends on it, and changing nothing (or an unrelated file)
/// rebuilds nothing.
@Suite(.serialized) struct CacheKeyTests {
    /// `base` <- `mid` <- `top`, and `side` on its own: a change to `mid` must rebuild mid and top only.
    func repository(_ label: String) throws -> TestRepository {
        let repo = try TestRepository(label)
        for name in ["base", "side"] {
            try repo.write("src/\(name)/LICENSE", "\(name) licence\n")
            try repo.localSoftware(name, extra: ["license_files: [LICENSE]"], steps: [#"mkdir: "{{embedded}}/share""#, "run: \"echo \(name) > $DESTDIR{{embedded}}/share/\(name)\""])
        }
        try writeMid(repo)
        try repo.write("src/top/LICENSE", "top licence\n")
        try repo.localSoftware("top", dependencies: ["mid"], extra: ["license_files: [LICENSE]"],
                               steps: [#"mkdir: "{{embedded}}/share""#, #"run: "echo top > $DESTDIR{{embedded}}/share/top""#])
        try repo.project(dependencies: ["top", "side"])
        return repo
    }

    func writeMid(_ repo: TestRepository, extra: [String] = [], step: String = #"run: "cat ../../../../../repo/Software/mid.patch > /dev/null; echo mid > $DESTDIR{{embedded}}/share/mid""#,
                  licenses: String = "[LICENSE]", version: String = "1") throws {
        try repo.write("src/mid/LICENSE", "mid licence\n")
        if !FileManager.default.fileExists(atPath: repo.root + "/Software/mid.patch") {
            try repo.write("Software/mid.patch", "--- a/README\n+++ b/README\n@@ -1 +1 @@\n-mid\n+mid patched\n")
        }
        try repo.write("src/mid/README", "mid\n")
        try repo.localSoftware("mid", version: version, dependencies: ["base"], extra: ["license_files: \(licenses)"] + extra,
                               steps: [#"mkdir: "{{embedded}}/share""#, "patch: mid.patch", step])
    }

    /// Which software the build compiled (as opposed to restored), from the plain output.
    static func built(_ result: CommandResult) -> Set<String> {
        Set(result.stderr.split(separator: "\n").compactMap { line -> String? in
            guard let range = line.range(of: ": done in ") else { return nil }
            let prefix = line[..<range.lowerBound]
            return prefix.split(separator: " ").last.map(String.init)
        })
    }

    static let midAndTop: Set<String> = ["mid", "top"]

    @Test(arguments: [
        "a build step", "an env value", "the version", "a patch's content", "the licence files", "relative_path",
        "a declared tool", "live_install",
    ])
    func changingOneInputOfMidRebuildsMidAndTopOnly(change: String) async throws {
        let repo = try repository("key-" + change.replacingOccurrences(of: " ", with: "-").replacingOccurrences(of: "'", with: ""))
        let first = try await repo.omnibus(["build", "app"])
        #expect(first.status == 0, "\(first.stdout)\(first.stderr)")
        #expect(Self.built(first) == ["base", "mid", "top", "side"])
        switch change {
        case "a build step": try writeMid(repo, step: #"run: "echo mid2 > $DESTDIR{{embedded}}/share/mid""#)
        case "an env value": try writeMid(repo, extra: ["env: { MID_FLAG: \"1\" }"])
        case "the version": try writeMid(repo, version: "2")
        case "a patch's content": try repo.write("Software/mid.patch", "--- a/README\n+++ b/README\n@@ -1 +1 @@\n-mid\n+mid patched again\n")
        case "the licence files":
            try repo.write("src/mid/NOTICE", "notice\n")
            try writeMid(repo, licenses: "[LICENSE, NOTICE]")
        case "relative_path":
            try repo.write("src/mid/sub/README", "sub\n")
            try writeMid(repo, extra: ["relative_path: ."])
        case "a declared tool": try writeMid(repo, extra: ["tools: [tar]"])
        case "live_install": try writeMid(repo, extra: ["live_install: true"])
        default: Issue.record("unknown change \(change)")
        }
        let again = try await repo.omnibus(["build", "app"])
        #expect(again.status == 0, "\(again.stdout)\(again.stderr)")
        #expect(Self.built(again) == Self.midAndTop, "\(change): built \(Self.built(again))")
    }

    @Test func nothingChangedOrAnUnrelatedFileRebuildsNothing() async throws {
        let repo = try repository("key-none")
        #expect(try await repo.omnibus(["build", "app"]).status == 0)
        try repo.write("Software/notes.txt", "unrelated\n")
        try repo.write("README.md", "unrelated\n")
        let again = try await repo.omnibus(["build", "app"])
        #expect(again.status == 0)
        #expect(Self.built(again).isEmpty, "built \(Self.built(again))")
        #expect(again.stdout.contains("(0 built, 4 restored from cache)"))
    }

    @Test func theProjectNameAndTheInstallDirAreKeyed() async throws {
        let repo = try repository("key-project")
        #expect(try await repo.omnibus(["build", "app"]).status == 0)
        // The same software for another project (another name, its own install dir) builds again.
        try repo.project("other", dependencies: ["top", "side"], installDir: repo.installDir + "-other")
        let other = try await repo.omnibus(["build", "other"])
        #expect(other.status == 0, "\(other.stderr)")
        #expect(Self.built(other) == ["base", "mid", "top", "side"])
    }

    @Test func aDependencyKeyChangeRebuildsItsDependentsOnly() async throws {
        let repo = try repository("key-dependency")
        #expect(try await repo.omnibus(["build", "app"]).status == 0)
        try repo.localSoftware("base", extra: ["license_files: [LICENSE]"], steps: [#"mkdir: "{{embedded}}/share""#, #"run: "echo base2 > $DESTDIR{{embedded}}/share/base""#])
        let again = try await repo.omnibus(["build", "app"])
        #expect(Self.built(again) == ["base", "mid", "top"])
    }

    @Test func aNewBuildOfTheToolRebuildsEverything() async throws {
        let repo = try repository("key-tool")
        #expect(try await repo.omnibus(["build", "app"]).status == 0)
        // Another binary of the same version: one more byte after the ELF image.
        let copy = repo.root + "/omnibus-copy"
        try FileManager.default.copyItem(atPath: OmnibusBinaryPath.path, toPath: copy)
        let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: copy))
        try handle.seekToEnd()
        try handle.write(contentsOf: Data([0]))
        try handle.close()
        let result = try await CommandResult.run([copy, "build", "--root", repo.root, "--work-dir", repo.workDir, "--cache-dir", repo.cacheDir, "app"],
                                           environment: ["OMNIBUS_LIBRARY": repo.root + "/no-library"])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(Self.built(result) == ["base", "mid", "top", "side"])
    }

    @Test(.enabled(if: getuid() == 0, "needs root to put a tool on the build PATH"))
    func aChangedToolchainProbeRebuildsTheSoftwareThatDeclaresIt() async throws {
        let repo = try repository("key-toolchain")
        let tool = "omnibus-test-tool-\(UUID().uuidString.prefix(8).lowercased())"
        let path = "/usr/local/bin/" + tool
        defer { try? FileManager.default.removeItem(atPath: path) }
        try "#!/bin/sh\necho \(tool) 1.0\n".write(toFile: path, atomically: true, encoding: .utf8)
        chmod(path, 0o755)
        try writeMid(repo, extra: ["tools: [\(tool)]"])
        #expect(try await repo.omnibus(["build", "app"]).status == 0)
        try "#!/bin/sh\necho \(tool) 2.0\n".write(toFile: path, atomically: true, encoding: .utf8)
        let again = try await repo.omnibus(["build", "app"])
        #expect(Self.built(again) == Self.midAndTop, "built \(Self.built(again))")
    }

    /// Adding a licence file used to restore the old layer, whose LICENSES/ lacked the file that
    /// LICENSE and version-manifest.json listed.
    @Test func anAddedLicenceFileIsInThePackage() async throws {
        let repo = try repository("key-licence")
        #expect(try await repo.omnibus(["build", "app"]).status == 0)
        try repo.write("src/mid/NOTICE", "notice\n")
        try writeMid(repo, licenses: "[LICENSE, NOTICE]")
        #expect(try await repo.omnibus(["build", "app"]).status == 0)
        #expect(FileManager.default.fileExists(atPath: repo.installDir + "/LICENSES/mid/NOTICE"))
        let listing = try await CommandResult.run(["tar", "-tzf", repo.root + "/pkg/app-1.0.0-1." + Self.platformTag() + ".tar.gz"])
        #expect(listing.stdout.contains("LICENSES/mid/NOTICE"), "\(listing.stdout)")
        // And the reverse: a removed one leaves.
        try writeMid(repo, licenses: "[LICENSE]")
        #expect(try await repo.omnibus(["build", "app"]).status == 0)
        #expect(!FileManager.default.fileExists(atPath: repo.installDir + "/LICENSES/mid/NOTICE"))
    }

    static func platformTag() -> String {
        let text = (try? String(contentsOfFile: "/etc/os-release", encoding: .utf8)) ?? ""
        func field(_ name: String) -> String {
            text.split(separator: "\n").first { $0.hasPrefix(name + "=") }.map { String($0.dropFirst(name.count + 1)).trimmingCharacters(in: CharacterSet(charactersIn: "\"")) } ?? ""
        }
        var machine = utsname()
        uname(&machine)
        let arch = withUnsafeBytes(of: &machine.machine) { String(decoding: $0.prefix { $0 != 0 }, as: UTF8.self) }
        return field("ID") + field("VERSION_ID") + "." + arch
    }

    /// One flipped byte in a stored file: the entry is found damaged, removed, and the software built again.
    @Test func aDamagedCacheEntryIsDetectedAndRebuilt() async throws {
        let repo = try repository("key-damaged")
        #expect(try await repo.omnibus(["build", "app"]).status == 0)
        let layers = repo.cacheDir + "/layers"
        let damaged = try FileManager.default.contentsOfDirectory(atPath: layers).filter { !$0.hasPrefix(".") }
            .first { FileManager.default.fileExists(atPath: layers + "/" + $0 + "/tree/embedded/share/mid") }
        let file = layers + "/" + (try #require(damaged)) + "/tree/embedded/share/mid"
        var bytes = try Data(contentsOf: URL(fileURLWithPath: file))
        bytes[0] ^= 0x01
        try bytes.write(to: URL(fileURLWithPath: file))
        // An untouched install dir would be kept, reading no layer (docs/build.md): without its
        // record, the build restores every layer again.
        try FileManager.default.removeItem(atPath: repo.workDir + "/app/install-dir-state.json")
        let again = try await repo.omnibus(["build", "app"])
        #expect(again.status == 0, "\(again.stderr)")
        #expect(again.stderr.contains("mid: the cached layer") && again.stderr.contains("was damaged (embedded/share/mid has SHA-256 "), "\(again.stderr)")
        #expect(Self.built(again) == ["mid"])
        #expect(try String(contentsOfFile: repo.installDir + "/embedded/share/mid", encoding: .utf8) == "mid\n")
        let verify = try await CommandResult.run([OmnibusBinaryPath.path, "cache", "verify", "--root", repo.root, "--cache-dir", repo.cacheDir])
        #expect(verify.status == 0 && verify.stdout.contains("4 layers checked, 0 damaged"), "\(verify.stdout)\(verify.stderr)")
    }

    /// A path source edited after the key was taken must not produce a layer stored under the old key.
    @Test func aSourceEditedDuringTheBuildStopsIt() async throws {
        let repo = try TestRepository("key-edited")
        try repo.write("src/edit/file.txt", "before\n")
        try repo.localSoftware("slow", steps: [#"run: "sleep 2""#])
        try repo.localSoftware("edit", dependencies: ["slow"], steps: [#"mkdir: "{{embedded}}/share""#, #"run: "cp file.txt $DESTDIR{{embedded}}/share/file.txt""#])
        try repo.project(dependencies: ["edit"])
        let build = try InterruptTests.RunningBuild(repo, ["build", "app"])
        await build.wait { build.stderr.contains("slow: step 1/1") }
        try repo.write("src/edit/file.txt", "after\n")
        await #expect(build.finish() == 1)
        #expect(build.stderr.contains("the source of edit changed after the build started"), "\(build.stderr)")
        // Built again, it packages what the source holds now.
        #expect(try await repo.omnibus(["build", "app"]).status == 0)
        #expect(try String(contentsOfFile: repo.installDir + "/embedded/share/file.txt", encoding: .utf8) == "after\n")
    }
}
