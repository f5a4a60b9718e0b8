import Foundation
import Testing

/// The stray-write check after each built software reads only the install-dir directories that
/// changed since it last looked, and still catches every write outside `$DESTDIR` the full walk
/// caught (the first case is in BuildTests: a Makefile that sets `DESTDIR` itself).
@Suite struct StrayWriteCheckTests {
    /// `base` stages files in `dirs` directories; `mid` (after it) stages its own after a pause,
    /// so base's directories are settled and recorded by mid's check; `last` (after mid) runs
    /// `lastSteps`. A stray write by `last` then lands in directories the check knew unchanged.
    static func chain(_ repo: TestRepository, dirs: Int = 3, lastSteps: [String]) throws {
        try repo.localSoftware("base", steps: [
            #"run: "for d in $(seq 1 \#(dirs)); do mkdir -p $DESTDIR{{embedded}}/lib/d$d && echo $d > $DESTDIR{{embedded}}/lib/d$d/f; done""#,
            #"run: "echo base > $DESTDIR{{embedded}}/lib/libbase.so""#,
            #"run: "mkdir -p $DESTDIR{{embedded}}/share/doc && echo doc > $DESTDIR{{embedded}}/share/doc/base""#,
        ])
        try repo.localSoftware("mid", dependencies: ["base"], steps: [
            #"run: "sleep 0.2 && mkdir -p $DESTDIR{{embedded}}/share/mid && echo mid > $DESTDIR{{embedded}}/share/mid/m""#,
        ])
        try repo.localSoftware("last", dependencies: ["mid"], steps: lastSteps)
        try repo.project(dependencies: ["last"], extra: "package: { formats: [tar] }")
    }

    @Test func strayFilesSymlinksAndNewDirectoriesInKnownDirectoriesAreCaught() async throws {
        let repo = try TestRepository("straykinds")
        try Self.chain(repo, lastSteps: [
            #"run: "echo stray > {{embedded}}/lib/libstray.so""#,
            #"run: "ln -s base {{embedded}}/share/doc/link""#,
            #"run: "mkdir -p {{embedded}}/lib/d2/new/deep && echo x > {{embedded}}/lib/d2/new/deep/x""#,
            #"run: "mkdir -p $DESTDIR{{embedded}}/share/last && echo ok > $DESTDIR{{embedded}}/share/last/ok""#,
        ])
        let build = try await repo.omnibus(["build", "app"])
        #expect(build.status == 1, "\(build.stderr)")
        #expect(build.stderr.contains("last wrote into the install dir \(repo.installDir) instead of its staging root $DESTDIR: "),
                "\(build.stderr)")
        // The list of strays, between the staging root and the advice.
        let listed = try #require(build.stderr.components(separatedBy: "staging root $DESTDIR: ").last?
            .components(separatedBy: ". A Makefile").first)
        #expect(Set(listed.components(separatedBy: ", "))
                    == ["embedded/lib/libstray.so", "embedded/share/doc/link", "embedded/lib/d2/new/deep/x"], "\(listed)")
    }

    @Test func renamingAnOwnedFileIsCaught() async throws {
        let repo = try TestRepository("strayrename")
        try Self.chain(repo, lastSteps: [#"run: "mv {{embedded}}/lib/d1/f {{embedded}}/lib/d1/g""#])
        let build = try await repo.omnibus(["build", "app"])
        #expect(build.status == 1)
        #expect(build.stderr.contains("instead of its staging root $DESTDIR: embedded/lib/d1/g."), "\(build.stderr)")
    }

    @Test func aStrayWriteRightAfterAMergeIsCaught() async throws {
        // No pause anywhere: the check's records are as fresh as they get (the same clock tick).
        let repo = try TestRepository("strayfresh")
        try repo.localSoftware("base", steps: [#"run: "mkdir -p $DESTDIR{{embedded}}/lib && echo b > $DESTDIR{{embedded}}/lib/b""#])
        try repo.localSoftware("last", dependencies: ["base"], steps: [#"run: "echo s > {{embedded}}/lib/s""#])
        try repo.project(dependencies: ["last"], extra: "package: { formats: [tar] }")
        let build = try await repo.omnibus(["build", "app"])
        #expect(build.status == 1)
        #expect(build.stderr.contains("last wrote into the install dir \(repo.installDir) instead of its staging root $DESTDIR: embedded/lib/s."),
                "\(build.stderr)")
    }

    @Test func theCheckReadsAgainOnlyTheDirectoriesThatChanged() async throws {
        let repo = try TestRepository("strayreport")
        try Self.chain(repo, dirs: 30, lastSteps: [
            #"run: "mkdir -p $DESTDIR{{embedded}}/share/last && echo ok > $DESTDIR{{embedded}}/share/last/ok""#,
        ])
        let report = repo.root + "/report.json"
        let build = try await repo.omnibus(["build", "app", "--report", report])
        #expect(build.status == 0, "\(build.stderr)")
        let software = try #require(try BuildReportTests.json(at: report)["software"] as? [[String: Any]])
        func check(_ name: String) throws -> (listed: Int, visited: Int) {
            let entry = try #require(software.first { $0["name"] as? String == name })
            let check = try #require(entry["stray_write_check"] as? [String: Any], "\(entry)")
            #expect((check["milliseconds"] as? Double ?? -1) >= 0)
            return (try #require(check["directories_listed"] as? Int), try #require(check["directories_visited"] as? Int))
        }
        // base's check is the first look: every directory is read.
        let base = try check("base")
        #expect(base.listed == base.visited)
        // By last's check base's 30 library directories are unchanged and recorded: only visited.
        let last = try check("last")
        #expect(last.visited >= 30 + 4, "\(last)")
        #expect(last.listed < 10, "\(last)")
    }
}
