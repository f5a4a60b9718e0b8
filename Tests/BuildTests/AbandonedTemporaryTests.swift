import Foundation
import Scratch
import Testing

/// What a killed build left (an incoming layer, a packaging scratch directory) is removed by the
/// next build; what a running build is writing is not.
@Suite struct AbandonedTemporaryTests {
    @Test func aBuildRemovesTheTemporariesOfKilledBuildsAndKeepsThoseOfRunningOnes() async throws {
        let repo = try TestRepository("abandoned")
        try repo.localSoftware("thing", steps: [#"mkdir: "{{embedded}}/share""#])
        try repo.project(dependencies: ["thing"])
        let gone = try Process.run(URL(fileURLWithPath: "/bin/true"), arguments: [])
        gone.waitUntilExit()
        let running = try Process.run(URL(fileURLWithPath: "/bin/sleep"), arguments: ["60"])
        // SIGKILL: a child started from a concurrency thread may block SIGTERM.
        defer { kill(running.processIdentifier, SIGKILL); running.waitUntilExit() }
        let layers = repo.cacheDir + "/layers", output = repo.root + "/pkg"
        func entry(_ prefix: String, _ pid: pid_t, in directory: String) throws -> String {
            let name = OwnedName.stamp(prefix, pid: pid) + "x1y2z3"
            try FileManager.default.createDirectory(atPath: "\(directory)/\(name)/tree", withIntermediateDirectories: true)
            return name
        }
        let killedLayer = try entry(".incoming-", gone.processIdentifier, in: layers)
        let busyLayer = try entry(".incoming-", running.processIdentifier, in: layers)
        let killedPackage = try entry(".omnibus-package-", gone.processIdentifier, in: output)
        let busyPackage = try entry(".omnibus-package-", running.processIdentifier, in: output)

        let build = try await repo.omnibus(["build", "app"])
        #expect(build.status == 0, "\(build.stdout)\n\(build.stderr)")
        let leftInLayers = try FileManager.default.contentsOfDirectory(atPath: layers).filter { $0.hasPrefix(".") && $0 != ".locks" }
        #expect(leftInLayers == [busyLayer], "killed: \(killedLayer)")
        let leftInOutput = try FileManager.default.contentsOfDirectory(atPath: output).filter { $0.hasPrefix(".") }
        #expect(leftInOutput == [busyPackage], "killed: \(killedPackage)")
    }
}
