import Foundation
import OmnibusKit
import Testing

/// A software whose install records where it was built (as Python's _sysconfigdata did) is
/// named by the build, with the file; one that does not is not.
@Suite struct WorkDirReferenceTests {
    @Test func anInstalledFileNamingTheWorkDirIsReported() async throws {
        let repo = try TestRepository("workdir-ref")
        try repo.localSoftware("recorder", steps: ["mkdir: \"{{embedded}}/etc\"", "run: \"pwd > {{destdir}}{{embedded}}/etc/built-in\""])
        try repo.localSoftware("constant", steps: ["mkdir: \"{{embedded}}/share\"", "run: \"echo same > {{destdir}}{{embedded}}/share/constant\""])
        try repo.project(dependencies: ["recorder", "constant"])
        let build = try await repo.omnibus(["build", "app"])
        #expect(build.status == 0, "\(build.stdout)\n\(build.stderr)")
        let output = build.stdout + build.stderr
        let projectDir = repo.workDir + "/app"
        #expect(output.contains("warning: recorder: 1 installed file names the work dir \(projectDir) (embedded/etc/built-in): built in another work dir"),
                "\(output)")
        #expect(!output.contains("warning: constant:"), "\(output)")
        let log = try String(contentsOfFile: projectDir + "/logs/recorder.log", encoding: .utf8)
        #expect(log.contains("#   names the work dir: embedded/etc/built-in"))
    }

    @Test func theSearchFindsANeedleAcrossEveryPosition() {
        let needle = Array("/w/app".utf8)
        #expect(WorkDirReferences.contains(Data("xx/w/ap/w/appyy".utf8), needle))
        #expect(WorkDirReferences.contains(Data("/w/app".utf8), needle))
        #expect(!WorkDirReferences.contains(Data("/w/ap".utf8), needle))
        #expect(!WorkDirReferences.contains(Data("".utf8), needle))
        #expect(WorkDirReferences.contains(Data("////////w/app".utf8), needle))
    }
}
