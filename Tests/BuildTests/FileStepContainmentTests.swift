import Foundation
import Testing

/// File steps write only inside the source directory, the staging root and the install dir: a
/// relative path is resolved against the source directory and contained like an absolute one.
/// Each escape stops the build at that step, with the step's location, and touches nothing.
@Suite(.serialized) struct FileStepContainmentTests {
    /// A directory outside every build directory that an escaping step would reach.
    static func outside(_ label: String) -> String {
        FileManager.default.temporaryDirectory.appendingPathComponent("omnibus-escape-\(label)-\(UUID().uuidString.prefix(8))").path
    }

    /// `../` enough times to climb from `<work>/app/build/<software>/src/<software>` to `/`.
    static func escaping(to path: String) -> String {
        String(repeating: "../", count: 12) + path.dropFirst()
    }

    func expectStopped(_ repo: TestRepository, step: String, line: Int) async throws -> CommandResult {
        try repo.localSoftware("esc", steps: ["mkdir: \"{{embedded}}\"", step])
        try repo.project(dependencies: ["esc"])
        let build = try await repo.omnibus(["build", "app"])
        #expect(build.status == 1, "\(build.stdout)\n\(build.stderr)")
        #expect(build.stderr.contains("Software/esc.yml:\(line):5: esc: step 2/2"), "\(build.stderr)")
        #expect(build.stderr.contains("outside the source directory"), "\(build.stderr)")
        return build
    }

    // The generated definition has 7 lines before `build:`; step 2 is on line 10.
    static let stepLine = 10

    @Test func mkdirCannotCreateAHostDirectory() async throws {
        let repo = try TestRepository("esc-mkdir")
        let target = Self.outside("mkdir")
        _ = try await expectStopped(repo, step: "mkdir: \"\(Self.escaping(to: target))\"", line: Self.stepLine)
        #expect(!FileManager.default.fileExists(atPath: target))
    }

    @Test func deleteCannotRemoveAHostFile() async throws {
        let repo = try TestRepository("esc-delete")
        let target = Self.outside("delete")
        try "keep me".write(toFile: target, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(atPath: target) }
        _ = try await expectStopped(repo, step: "delete: \"\(Self.escaping(to: target))\"", line: Self.stepLine)
        #expect(FileManager.default.fileExists(atPath: target))
    }

    @Test func copyCannotWriteOutside() async throws {
        let repo = try TestRepository("esc-copy-to")
        let target = Self.outside("copy")
        _ = try await expectStopped(repo, step: "copy: { from: README, to: \"\(Self.escaping(to: target))\" }", line: Self.stepLine)
        #expect(!FileManager.default.fileExists(atPath: target))
    }

    @Test func copyCannotReadOutsideThroughARelativePath() async throws {
        let repo = try TestRepository("esc-copy-from")
        _ = try await expectStopped(repo, step: "copy: { from: \"\(Self.escaping(to: "/etc/hostname"))\", to: \"{{embedded}}/hostname\" }",
                              line: Self.stepLine)
    }

    @Test func linkCannotBePlacedOutside() async throws {
        let repo = try TestRepository("esc-link")
        let target = Self.outside("link")
        _ = try await expectStopped(repo, step: "link: { target: /etc/passwd, path: \"\(Self.escaping(to: target))\" }", line: Self.stepLine)
        #expect((try? FileManager.default.destinationOfSymbolicLink(atPath: target)) == nil)
    }

    @Test func templateCannotRenderOutside() async throws {
        let repo = try TestRepository("esc-template")
        try repo.write("Software/greeting.txt", "hello {{project}}\n")
        let target = Self.outside("template")
        _ = try await expectStopped(repo, step: "template: { source: greeting.txt, dest: \"\(Self.escaping(to: target))\" }",
                              line: Self.stepLine)
        #expect(!FileManager.default.fileExists(atPath: target))
    }

    @Test func relativePathsInsideTheSourceDirectoryStillWork() async throws {
        let repo = try TestRepository("esc-inside")
        try repo.localSoftware("ok", steps: [
            #"mkdir: "sub/dir""#,
            #"copy: { from: README, to: "sub/dir/README" }"#,
            #"copy: { from: "sub/dir/README", to: "{{embedded}}/README" }"#,
            #"delete: "sub""#,
        ])
        try repo.project(dependencies: ["ok"])
        let build = try await repo.omnibus(["build", "app"])
        #expect(build.status == 0, "\(build.stdout)\n\(build.stderr)")
        #expect(FileManager.default.fileExists(atPath: repo.installDir + "/embedded/README"))
    }
}
