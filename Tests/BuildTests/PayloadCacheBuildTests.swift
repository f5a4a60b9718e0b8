import Foundation
import Testing

/// The build's packaging keeps each layer's compressed payload in the cache: a rebuild where one
/// software changed gives the packages a packaging without any kept layer gives, and the cache
/// commands remove what was kept.
@Suite struct PayloadCacheBuildTests {
    static let formats = "package: { formats: [deb, rpm, tar], deb: { compression: xz }, tar: { compression: xz } }"

    static func repository(_ label: String, two: String) throws -> TestRepository {
        let repo = try TestRepository(label)
        for name in ["one", "two", "three"] {
            let text = name == "two" ? two : name
            try repo.localSoftware(name, steps: [#"mkdir: "{{embedded}}/share/\#(name)""#,
                                                 #"run: "seq 1 20000 | sed 's/$/ \#(text)/' > $DESTDIR{{embedded}}/share/\#(name)/data""#])
        }
        try repo.project(dependencies: ["one", "two", "three"], extra: formats)
        return repo
    }

    static func packages(_ repo: TestRepository) throws -> [String: Data] {
        var found: [String: Data] = [:]
        for name in try FileManager.default.contentsOfDirectory(atPath: repo.root + "/pkg")
        where name.hasSuffix(".deb") || name.hasSuffix(".rpm") || name.hasSuffix(".tar.xz") {
            found[name] = try Data(contentsOf: URL(fileURLWithPath: repo.root + "/pkg/" + name))
        }
        return found
    }

    static func keptSegments(_ repo: TestRepository) -> [String] {
        ((try? FileManager.default.contentsOfDirectory(atPath: repo.cacheDir + "/payload-segments")) ?? []).filter { $0.hasSuffix(".json") }
    }

    @Test func aRebuildWithOneChangedSoftwareGivesTheColdPackages() async throws {
        let repo = try Self.repository("payload-cache", two: "two")
        let first = try await repo.omnibus(["build", "app"])
        #expect(first.status == 0, "\(first.stderr)")
        #expect(Self.keptSegments(repo).count == 3, "one kept segment per layer")

        try repo.localSoftware("two", version: "2", steps: [#"mkdir: "{{embedded}}/share/two""#,
                                                            #"run: "seq 1 20000 | sed 's/$/ changed/' > $DESTDIR{{embedded}}/share/two/data""#])
        let warm = try await repo.omnibus(["build", "app"])
        #expect(warm.status == 0, "\(warm.stderr)")
        let warmPackages = try Self.packages(repo)
        #expect(warmPackages.count == 3)
        #expect(Self.keptSegments(repo).count == 4, "only the changed layer was kept anew")

        // Cold: nothing kept, the same install dir and records.
        try FileManager.default.removeItem(atPath: repo.cacheDir + "/payload-segments")
        let cold = try await repo.omnibus(["package", "app"])
        #expect(cold.status == 0, "\(cold.stderr)")
        #expect(try Self.packages(repo) == warmPackages, "a rebuild reusing layers differs from a cold packaging")

        let deb = try #require(warmPackages.keys.first { $0.hasSuffix(".deb") })
        let unpacked = repo.root + "/x"
        #expect(try await CommandResult.run(["dpkg-deb", "-x", repo.root + "/pkg/" + deb, unpacked]).status == 0)
        let data = try String(contentsOfFile: unpacked + repo.installDir + "/embedded/share/two/data", encoding: .utf8)
        #expect(data.hasPrefix("1 changed\n"))

        let cleared = try await CommandResult.run([OmnibusBinaryPath.path, "cache", "clear", "app", "--cache-dir", repo.cacheDir])
        #expect(cleared.status == 0, "\(cleared.stderr)")
        #expect(Self.keptSegments(repo).isEmpty, "cache clear left kept payload segments")
    }

    @Test func cleanAllRemovesTheKeptSegments() async throws {
        let repo = try Self.repository("payload-clean", two: "two")
        #expect(try await repo.omnibus(["build", "app"]).status == 0)
        #expect(!Self.keptSegments(repo).isEmpty)
        let clean = try await repo.omnibus(["clean", "app", "--all"])
        #expect(clean.status == 0, "\(clean.stderr)")
        #expect(clean.stdout.contains("compressed payload segment"), "\(clean.stdout)")
        #expect(Self.keptSegments(repo).isEmpty)
    }
}
