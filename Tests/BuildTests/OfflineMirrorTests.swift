import Foundation
import Testing

/// The offline path CI uses: a mirror filled from Debian's source packages, then a build that
/// never contacts upstream. zlib comes from a mirror-only version (Debian repacked it) and
/// pcre2, a library from Software/ that depends on it, from its upstream release bytes.
@Suite(.serialized) struct OfflineMirrorTests {
    static var aptHasSources: Bool {
        (try? CommandResult.runBriefly(["apt-get", "indextargets", "--format", "$(IDENTIFIER)"]).stdout
            .split(separator: "\n").contains("Sources")) ?? false
    }

    @Test func mirrorFromDebianThenOfflineBuildOfZlibAndADependentLibrary() async throws {
        guard Self.aptHasSources else {
            print("skipped: apt has no deb-src entries; run scripts/enable-deb-src (as root) to enable this test")
            return
        }
        let repo = try TestRepository("offline")
        for software in ["zlib", "bzip2", "pcre2"] {
            try repo.copyFromOmnibus("Software/\(software).yml", to: "Software/\(software).yml")
        }
        try repo.project(dependencies: ["pcre2"], extra: "overrides: { zlib: \"1.2.13.dfsg\" }")
        let mirror = repo.root + "/../mirror"
        let fill = try await repo.omnibus(["mirror", "app", "--dir", mirror])
        #expect(fill.status == 0, "\(fill.stdout)\n\(fill.stderr)")
        for file in ["zlib_1.2.13.dfsg.orig.tar.bz2", "bzip2-1.0.8.tar.gz", "pcre2-10.42.tar.gz"] {
            #expect(FileManager.default.fileExists(atPath: mirror + "/" + file), "\(file) in the mirror")
        }

        let build = try await repo.omnibus(["build", "app", "--offline", "--source-mirror", mirror])
        #expect(build.status == 0, "\(build.stdout)\n\(build.stderr)")
        #expect(build.stdout.contains("health check passed"))
        let grep = repo.installDir + "/embedded/bin/pcre2grep"
        let dynamic = try await CommandResult.run(["readelf", "-d", grep]).stdout
        #expect(dynamic.contains("[libz.so.1]") && dynamic.contains("[libbz2.so.1.0]"))
        let trace = try await CommandResult.run([grep, "--version"], environment: ["LD_DEBUG": "libs"]).stderr
        #expect(trace.contains("calling init: \(repo.installDir)/embedded/lib/libz.so.1"))
        #expect(trace.contains("calling init: \(repo.installDir)/embedded/lib/libbz2.so.1.0"))
    }

    @Test func offlineBuildWithoutTheFileInAMirrorSaysWhatToDo() async throws {
        let repo = try TestRepository("offline-missing")
        try repo.copyFromOmnibus("Software/zlib.yml", to: "Software/zlib.yml")
        try repo.project(dependencies: ["zlib"], extra: "overrides: { zlib: \"1.2.13.dfsg\" }")
        let empty = repo.root + "/../empty-mirror"
        try FileManager.default.createDirectory(atPath: empty, withIntermediateDirectories: true)
        let build = try await repo.omnibus(["build", "app", "--offline", "--source-mirror", empty])
        #expect(build.status == 1)
        #expect(build.stderr.contains("zlib_1.2.13.dfsg.orig.tar.bz2"))
        #expect(build.stderr.contains("sha256:71feb7947e3c00ef125f83b79a4e529bde31171e5babe48b391f06758d1ab0a1"))
        #expect(build.stderr.contains("omnibus mirror"))
    }
}
