import Foundation
import Testing

/// `omnibus build` runs the linkage check before packaging and stops on a leak.
@Suite(.serialized) struct HealthCheckInBuildTests {
    func leakyRepository(extra: String = "") throws -> TestRepository {
        let repo = try TestRepository("leak")
        try repo.write("src/zprog/zprog.c", """
            #include <stdio.h>
            #include <zlib.h>
            int main(void) { printf("zlib %s\\n", zlibVersion()); return 0; }
            """)
        try repo.write("Software/zprog.yml", """
            name: zprog
            default_version: "1"
            license: MIT
            versions:
              "1":
                source: { path: ../src/zprog }
            build:
              - mkdir: "{{embedded}}/bin"
              - run: "cc $CFLAGS zprog.c -o $DESTDIR{{embedded}}/bin/zprog $LDFLAGS -lz"
            """)
        try repo.project(dependencies: ["zprog"], extra: extra)
        return repo
    }

    @Test func programLinkingTheSystemZlibStopsTheBuild() async throws {
        let repo = try leakyRepository()
        let build = try await repo.omnibus(["build", "app"])
        #expect(build.status == 1)
        #expect(build.stderr.contains("Linkage health check FAILED: 1 of 1 ELF files in \(repo.installDir) have problems."))
        #expect(build.stderr.contains("embedded/bin/zprog (installed by zprog)"))
        #expect(build.stderr.contains("libz.so.1 => /lib/x86_64-linux-gnu/libz.so.1: outside the install dir and not on the allow-list")
                || build.stderr.contains("libz.so.1 => /usr/lib/x86_64-linux-gnu/libz.so.1: outside the install dir and not on the allow-list"))
        #expect(build.stderr.contains("build stopped before packaging"))

        let json = try await repo.omnibus(["health-check", "app", "--format", "json"])
        #expect(json.status == 1)
        let report = try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [String: Any]
        #expect(report?["passed"] as? Bool == false)
        let failures = report?["failures"] as? [[String: Any]]
        #expect(failures?.first?["file"] as? String == "embedded/bin/zprog")
        #expect(failures?.first?["software"] as? String == "zprog")
    }

    @Test func allowListedLibraryPasses() async throws {
        let repo = try leakyRepository(extra: "health_check: { allow: [\"libz.so.*\"] }")
        let build = try await repo.omnibus(["build", "app"])
        #expect(build.status == 0, "\(build.stderr)")
        #expect(build.stdout.contains("health check passed: 1 ELF file in \(repo.installDir)"))
    }

    @Test func disabledCheckIsAnnouncedNotSilent() async throws {
        let repo = try leakyRepository(extra: "health_check: { enabled: false }")
        let build = try await repo.omnibus(["build", "app"])
        #expect(build.status == 0)
        #expect(build.stdout.contains("WARNING: the linkage health check is DISABLED for app"))
    }
}
