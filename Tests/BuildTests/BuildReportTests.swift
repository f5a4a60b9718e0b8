import Foundation
import Testing

/// The build report (`pkg/<name>-<version>-<iteration>.build.json`, `--report FILE`), written by
/// the real binary after a success and after a failure.
@Suite(.serialized) struct BuildReportTests {
    /// `app` 1.0.0 with `hello` (a C program) built against `greet` (a data file).
    static func repository(_ label: String) throws -> TestRepository {
        let repo = try TestRepository(label)
        try repo.write("src/hello/hello.c", "#include <stdio.h>\nint main(void) { puts(\"hello\"); return 0; }\n")
        try repo.localSoftware("greet", version: "2.1", steps: ["mkdir: \"{{embedded}}/share\"",
                                                                 "run: \"cp README $DESTDIR{{embedded}}/share/greet\""])
        try repo.localSoftware("hello", version: "1.0", dependencies: ["greet"],
                               steps: ["mkdir: \"{{embedded}}/bin\"", "run: \"cc hello.c -o $DESTDIR{{embedded}}/bin/hello\""])
        try repo.project(dependencies: ["hello"], extra: "license: Apache-2.0\npackage: { formats: [deb, tar] }")
        return repo
    }

    static func json(at path: String) throws -> [String: Any] {
        let data = try #require(FileManager.default.contents(atPath: path), "\(path) is missing")
        return try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
    }

    /// Every key, at any depth, with an upper-case letter.
    static func camelCaseKeys(in value: Any) -> [String] {
        if let map = value as? [String: Any] {
            return map.keys.filter { $0 != $0.lowercased() } + map.values.flatMap { camelCaseKeys(in: $0) }
        }
        if let list = value as? [Any] { return list.flatMap { camelCaseKeys(in: $0) } }
        return []
    }

    @Test func aSuccessfulBuildReportsEverySoftwareTheHealthCheckAndEachPackage() async throws {
        let repo = try Self.repository("report")
        let extra = repo.root + "/../ci/report.json"
        let build = try await repo.omnibus(["build", "app", "--report", extra])
        #expect(build.status == 0, "\(build.stderr)")
        let path = repo.root + "/pkg/app-1.0.0-1.build.json"
        #expect(build.stdout.contains("wrote build report \(path)"))
        #expect(FileManager.default.contents(atPath: extra) == FileManager.default.contents(atPath: path))
        let report = try Self.json(at: path)
        #expect(Self.camelCaseKeys(in: report).isEmpty, "\(Self.camelCaseKeys(in: report))")

        #expect(report["outcome"] as? [String: String] == ["status": "succeeded"])
        #expect((report["tool"] as? [String: Any])?["version"] as? String == "0.1.0")
        let project = try #require(report["project"] as? [String: Any])
        #expect(project["name"] as? String == "app" && project["version"] as? String == "1.0.0" && project["iteration"] as? Int == 1)

        let manifest = try Self.json(at: repo.root + "/pkg/app-1.0.0-1.version-manifest.json")
        let components = try #require(manifest["software"] as? [String: [String: Any]])
        let software = try #require(report["software"] as? [[String: Any]])
        #expect(software.map { $0["name"] as? String } == ["greet", "hello"], "build order")
        #expect(software.map { $0["version"] as? String } == ["2.1", "1.0"])
        for entry in software {
            let name = try #require(entry["name"] as? String)
            #expect(entry["outcome"] as? String == "built")
            #expect(entry["uploaded"] as? Bool == false)
            #expect(entry["cache_key"] as? String == components[name]?["layer_key"] as? String)
            #expect(entry["seconds"] is NSNumber)
            #expect(entry["log_path"] as? String == repo.workDir + "/app/logs/\(name).log")
            #expect(FileManager.default.fileExists(atPath: entry["log_path"] as? String ?? ""))
        }

        let health = try #require(report["health_check"] as? [String: Any])
        #expect(health["status"] as? String == "passed")
        #expect(health["files_checked"] as? Int == 1)
        #expect(health["failing_files"] as? Int == 0)

        let packages = try #require(report["packages"] as? [[String: Any]])
        #expect(packages.compactMap { $0["format"] as? String }.sorted() == ["deb", "tar"])
        for package in packages {
            let packagePath = try #require(package["path"] as? String)
            #expect(FileManager.default.fileExists(atPath: packagePath))
            // Every field of the metadata file, with the same value.
            let metadata = try Self.json(at: try #require(package["metadata_path"] as? String))
            for (key, value) in metadata {
                #expect((package[key] as? NSObject)?.isEqual(value) == true, "\(key) differs from the metadata file")
            }
            #expect(metadata["described_by"] as? [String] == [(packagePath as NSString).lastPathComponent + ".spdx.json",
                                                              (packagePath as NSString).lastPathComponent + ".cdx.json"])
            #expect(package["replaced_sha256"] is NSNull)
        }

        let totals = try #require(report["totals"] as? [String: Any])
        #expect(totals["software"] as? Int == 2 && totals["built"] as? Int == 2 && totals["restored_local"] as? Int == 0)
        let seconds = try #require(totals["seconds"] as? [String: Any])
        #expect(Set(seconds.keys) == ["build", "health_check", "package", "total"])
        #expect(report["warnings"] as? [String] == [])

        // Unchanged: both restored from the layer cache, with no log of this run.
        let again = try await repo.omnibus(["build", "app"])
        #expect(again.status == 0, "\(again.stderr)")
        let restored = try #require(try Self.json(at: path)["software"] as? [[String: Any]])
        #expect(restored.map { $0["outcome"] as? String } == ["restored_local", "restored_local"])
        #expect(restored.allSatisfy { $0["log_path"] is NSNull })
    }

    @Test func aFailedStepStillWritesTheReportOutsidePkg() async throws {
        let repo = try Self.repository("report-fail")
        try repo.localSoftware("hello", version: "1.0", dependencies: ["greet"], steps: ["run: \"echo broken; exit 3\""])
        let extra = repo.root + "/../ci/report.json"
        let build = try await repo.omnibus(["build", "app", "--report", extra])
        #expect(build.status == 1)
        let path = repo.workDir + "/app/build.json"
        #expect(build.stderr.contains("build report: \(path)"), "\(build.stderr)")
        #expect(build.stderr.contains("build report: \(extra)"))
        #expect(!build.stdout.contains("wrote build report"))
        #expect(!FileManager.default.fileExists(atPath: repo.root + "/pkg/app-1.0.0-1.build.json"), "pkg/ holds finished runs only")

        let report = try Self.json(at: path)
        #expect(Self.camelCaseKeys(in: report).isEmpty)
        let outcome = try #require(report["outcome"] as? [String: String])
        #expect(outcome["status"] == "failed" && outcome["phase"] == "build")
        #expect(outcome["message"]?.contains("hello") == true, "\(outcome)")
        let software = try #require(report["software"] as? [[String: Any]])
        #expect(software.map { $0["outcome"] as? String } == ["built", "failed"])
        #expect(software.last?["log_path"] as? String == repo.workDir + "/app/logs/hello.log")
        #expect((report["health_check"] as? [String: String])?["status"] == "not_run")
        #expect((report["packages"] as? [Any])?.isEmpty == true)
        #expect(FileManager.default.contents(atPath: extra) == FileManager.default.contents(atPath: path))
    }

    @Test func aFailedHealthCheckIsInTheReportWithItsFindings() async throws {
        let repo = try Self.repository("report-health")
        try repo.write("src/hello/hello.c", "#include <zlib.h>\nint main(void) { return zlibVersion()[0] == 0; }\n")
        try repo.localSoftware("hello", version: "1.0", dependencies: ["greet"],
                               steps: ["mkdir: \"{{embedded}}/bin\"", "run: \"cc hello.c -o $DESTDIR{{embedded}}/bin/hello -lz\""])
        let build = try await repo.omnibus(["build", "app"])
        #expect(build.status == 1)
        let report = try Self.json(at: repo.workDir + "/app/build.json")
        #expect((report["outcome"] as? [String: String])?["phase"] == "health_check")
        let health = try #require(report["health_check"] as? [String: Any])
        #expect(health["status"] as? String == "failed")
        #expect(health["failing_files"] as? Int == 1)
        #expect((health["findings_by_reason"] as? [String: Int])?["outside-install-dir"] == 1)
        let failure = try #require((health["failures"] as? [[String: Any]])?.first)
        #expect(failure["file"] as? String == "embedded/bin/hello" && failure["software"] as? String == "hello")
    }

    @Test func aPackageReplacingOtherBytesUnderItsNameIsAWarning() async throws {
        let repo = try Self.repository("report-replaced")
        #expect(try await repo.omnibus(["build", "app"]).status == 0)
        let deb = repo.root + "/pkg/app_1.0.0-1_amd64.deb"
        let before = try #require(try Self.json(at: deb + ".metadata.json")["sha256"] as? String)
        try repo.write("src/greet/README", "changed content, same version\n")
        let build = try await repo.omnibus(["build", "app"])
        #expect(build.status == 0, "\(build.stderr)")
        #expect(build.stdout.contains("warning: \(deb) replaced a file of the same name with other bytes (sha256 \(before) -> "),
                "\(build.stderr)")
        let report = try Self.json(at: repo.root + "/pkg/app-1.0.0-1.build.json")
        let package = try #require((report["packages"] as? [[String: Any]])?.first { $0["format"] as? String == "deb" })
        #expect(package["replaced_sha256"] as? String == before)
        #expect((report["warnings"] as? [String])?.contains { $0.hasPrefix(deb + " replaced a file") } == true)

        // The same bytes again replace nothing.
        let same = try await repo.omnibus(["build", "app"])
        #expect(same.status == 0)
        #expect(!same.stderr.contains("replaced a file"))
    }

    @Test func cleanPackagesKeepsOnlyTheCurrentVersionsFiles() async throws {
        let repo = try Self.repository("report-clean")
        #expect(try await repo.omnibus(["build", "app"]).status == 0)
        let pkg = repo.root + "/pkg"
        let firstFiles = Set(try FileManager.default.contentsOfDirectory(atPath: pkg))
        try repo.project(dependencies: ["hello"], extra: "license: Apache-2.0\npackage: { formats: [deb, tar] }")
        try String(contentsOfFile: repo.root + "/Projects/app.yml", encoding: .utf8)
            .replacingOccurrences(of: "version: \"1.0.0\"", with: "version: \"1.1.0\"")
            .write(toFile: repo.root + "/Projects/app.yml", atomically: true, encoding: .utf8)
        let second = try await repo.omnibus(["build", "app"])
        #expect(second.status == 0, "\(second.stderr)")
        let secondFiles = Set(try FileManager.default.contentsOfDirectory(atPath: pkg)).subtracting(firstFiles)
        #expect(secondFiles.count == firstFiles.count, "a build writes the same set of files: \(secondFiles)")
        // Not the project's, though its name starts like the project's files.
        try "{}".write(toFile: pkg + "/app-extra-1.0.0-1.build.json", atomically: true, encoding: .utf8)
        try "notes".write(toFile: pkg + "/notes.txt", atomically: true, encoding: .utf8)

        let clean = try await repo.omnibus(["clean", "app", "--packages"])
        #expect(clean.status == 0, "\(clean.stderr)")
        let left = Set(try FileManager.default.contentsOfDirectory(atPath: pkg))
        #expect(left == secondFiles.union(["app-extra-1.0.0-1.build.json", "notes.txt"]), "\(left)")
        #expect(firstFiles.allSatisfy { clean.stdout.contains("removed \(pkg)/\($0)") }, "\(clean.stdout)")
        #expect(firstFiles.count == 10, "deb and tar with metadata and two SBOMs each, the manifest, the report: \(firstFiles)")
    }
}
