import Foundation
import Testing

/// The demo and a definition that records its CFLAGS, built from two work dirs into one install
/// dir: no packaged byte names the work dir, the packages are identical, and they carry the
/// base-system dependencies their ELF files need (judged by dpkg-deb, rpm and the metadata).
@Suite(.serialized) struct WhereItRunsTests {
    /// Installs what configure scripts install: the flags it was built with, and a program with
    /// debug info whose `__FILE__` is the absolute source path.
    static func recorder(in repo: TestRepository) throws {
        try repo.write("src/recorder/main.c", "#include <stdio.h>\nint main(void) { puts(__FILE__); return 0; }\n")
        try repo.localSoftware("recorder", steps: [
            #"run: "cc $CFLAGS -g -o recorder \"$PWD/main.c\"""#,
            #"mkdir: "{{embedded}}/share/recorder""#,
            #"run: "printf 'CFLAGS=%s\\nCXXFLAGS=%s\\n' \"$CFLAGS\" \"$CXXFLAGS\" > $DESTDIR{{embedded}}/share/recorder/config""#,
            #"run: "mkdir -p $DESTDIR{{embedded}}/bin && cp recorder $DESTDIR{{embedded}}/bin/""#,
        ])
    }

    static func repository(_ label: String, installDir: String?, extra: String = "") throws -> TestRepository {
        let repo = try TestRepository(label)
        try repo.copyFromOmnibus("src/libgreet", to: "src/libgreet")
        try repo.copyFromOmnibus("src/greet", to: "src/greet")
        try repo.copyFromOmnibus("Software/libgreet.yml", to: "Software/libgreet.yml")
        try repo.copyFromOmnibus("Software/greet.yml", to: "Software/greet.yml")
        try recorder(in: repo)
        try repo.project(dependencies: ["greet", "recorder"], extra: extra, installDir: installDir)
        return repo
    }

    static func build(_ repo: TestRepository) async throws -> [String] {
        let build = try await repo.omnibus(["build", "app"], environment: ["SOURCE_DATE_EPOCH": "1700000000"])
        #expect(build.status == 0, "\(build.stdout)\n\(build.stderr)")
        #expect(build.stdout.contains("where it runs: needs glibc >= "), "\(build.stdout)")
        return try FileManager.default.contentsOfDirectory(atPath: repo.root + "/pkg")
            .filter { $0.hasSuffix(".deb") || $0.hasSuffix(".rpm") || $0.hasSuffix(".tar.gz") || $0.hasSuffix(".tar.xz") }.sorted()
    }

    @Test func twoWorkDirsGiveIdenticalPackagesThatNeverNameTheWorkDir() async throws {
        let first = try Self.repository("leak-a", installDir: nil)
        let packages = try await Self.build(first)
        #expect(!packages.isEmpty)
        let deb = try #require(packages.first { $0.hasSuffix(".deb") })
        let unpacked = first.root + "/../unpacked"
        #expect(try await CommandResult.run(["dpkg-deb", "-x", first.root + "/pkg/" + deb, unpacked]).status == 0)
        let config = try String(contentsOfFile: unpacked + first.installDir + "/embedded/share/recorder/config", encoding: .utf8)
        #expect(config == "CFLAGS=-I\(first.installDir)/embedded/include -O2\nCXXFLAGS=-I\(first.installDir)/embedded/include -O2\n")
        // The prefix map still reaches the compiler: __FILE__ and the debug info name "./main.c".
        let run = try await CommandResult.run([first.installDir + "/embedded/bin/recorder"])
        #expect(run.stdout == "./main.c\n")
        for needle in [first.workDir, first.root, first.cacheDir] {
            let grep = try await CommandResult.run(["grep", "-rlaF", needle, unpacked])
            #expect(grep.stdout.isEmpty, "packaged files naming \(needle): \(grep.stdout)")
        }

        // The same definitions from another work dir, into the same install dir.
        try FileManager.default.removeItem(atPath: first.installDir)
        let second = try Self.repository("leak-b", installDir: first.installDir)
        await #expect(try Self.build(second) == packages)
        for package in packages {
            let a = try Data(contentsOf: URL(fileURLWithPath: first.root + "/pkg/" + package))
            let b = try Data(contentsOf: URL(fileURLWithPath: second.root + "/pkg/" + package))
            #expect(a == b, "\(package) differs between the two work dirs")
        }
        try? FileManager.default.removeItem(atPath: first.installDir)
    }

    @Test func packagesCarryTheBaseDependenciesTheirFilesNeed() async throws {
        let repo = try Self.repository("base-deps", installDir: nil)
        let packages = try await Self.build(repo)
        let deb = repo.root + "/pkg/" + (try #require(packages.first { $0.hasSuffix(".deb") }))
        let depends = try await CommandResult.run(["dpkg-deb", "-f", deb, "Depends"]).stdout
        let metadata = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: deb + ".metadata.json"))) as? [String: Any]
        let floors = try #require(metadata?["base_system"] as? [String: String])
        let glibc = try #require(floors["glibc"])
        #expect(depends == "libc6 (>= \(glibc))\n", "\(depends)")
        if let rpmFile = packages.first(where: { $0.hasSuffix(".rpm") }), Tools.rpm != nil {
            let rpm = repo.root + "/pkg/" + rpmFile
            let requires = Set(try await CommandResult.run(["rpm", "-qp", "--requires", rpm]).stdout.split(separator: "\n").map(String.init))
            // What rpm's own generator derives from the packaged executables.
            let unpacked = repo.root + "/../rpm-root"
            try FileManager.default.createDirectory(atPath: unpacked, withIntermediateDirectories: true)
            #expect(try await CommandResult.run(["sh", "-c", "rpm2cpio '\(rpm)' | cpio -idm --quiet", ], in: unpacked).status == 0)
            let executables = try await CommandResult.run(["find", unpacked, "-type", "f", "-perm", "/111"]).stdout
            let elfdeps = try await CommandResult.run(["sh", "-c", "printf '%s' \"$0\" | /usr/lib/rpm/elfdeps -R", executables])
            let derived = Set(elfdeps.stdout.split(separator: "\n").map(String.init)).filter { !$0.hasPrefix("libgreet") }
            #expect(!derived.isEmpty)
            #expect(derived.isSubset(of: requires), "missing: \(derived.subtracting(requires))")
            // libgreet is inside the package: not required from the system, not provided to it.
            #expect(!requires.contains { $0.hasPrefix("libgreet") })
            let provides = try await CommandResult.run(["rpm", "-qp", "--provides", rpm]).stdout
            #expect(!provides.contains("libgreet"))
        }
    }

    @Test func baseDependenciesCanBeTurnedOffButTheFloorIsStillRecorded() async throws {
        let repo = try Self.repository("no-base", installDir: nil, extra: "package: { base_dependencies: false }")
        let packages = try await Self.build(repo)
        let deb = repo.root + "/pkg/" + (try #require(packages.first { $0.hasSuffix(".deb") }))
        let control = try await CommandResult.run(["dpkg-deb", "-f", deb]).stdout
        #expect(control.contains("Package: app\n"))
        #expect(!control.contains("Depends:"), "\(control)")
        let metadata = try String(contentsOfFile: deb + ".metadata.json", encoding: .utf8)
        #expect(metadata.contains("\"base_system\": {\"glibc\": "))
        if let rpmFile = packages.first(where: { $0.hasSuffix(".rpm") }), Tools.rpm != nil {
            let requires = try await CommandResult.run(["rpm", "-qp", "--requires", repo.root + "/pkg/" + rpmFile]).stdout
            #expect(!requires.contains("libc.so.6"))
        }
    }

    @Test func aBadBaseDependenciesValueIsRefusedWithItsLocation() async throws {
        let repo = try Self.repository("bad-base", installDir: nil, extra: "package: { base_dependencies: sometimes }")
        let validate = try await repo.omnibus(["validate"])
        #expect(validate.status != 0)
        let output = validate.stdout + validate.stderr
        #expect(output.contains("Projects/app.yml:7:"), "\(output)")
        #expect(output.contains("'package.base_dependencies' must be true or false, found 'sometimes'"), "\(output)")
    }
}

enum Tools {
    static let rpm: String? = ["/usr/bin/rpm", "/bin/rpm"].first { FileManager.default.isExecutableFile(atPath: $0) }
}
