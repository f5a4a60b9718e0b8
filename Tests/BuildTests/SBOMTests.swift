import Foundation
import Testing

/// The SPDX and CycloneDX documents written next to each package, judged by the reference
/// validators (spdx-tools' `pyspdxtools`, cyclonedx-python-lib's JSON schema validator).
@Suite(.serialized) struct SBOMTests {
    static let spdxValidator = (ProcessInfo.processInfo.environment["PATH"] ?? "").split(separator: ":")
        .contains { FileManager.default.isExecutableFile(atPath: "\($0)/pyspdxtools") }
    static let cycloneDXValidator = (try? CommandResult.runBriefly(["python3", "-c", "import cyclonedx.validation.json, jsonschema"]).status) == 0

    /// `pyspdxtools -i FILE`; nil when the document is valid, else what it says.
    static func spdxProblems(_ path: String) async throws -> String? {
        let result = try await CommandResult.run(["pyspdxtools", "-i", path])
        return result.status == 0 ? nil : result.stdout + result.stderr
    }

    static func cycloneDXProblems(_ path: String) async throws -> String? {
        let script = """
            import sys
            from cyclonedx.schema import SchemaVersion
            from cyclonedx.validation.json import JsonStrictValidator
            error = JsonStrictValidator(SchemaVersion.V1_5).validate_str(open(sys.argv[1]).read())
            if error is not None:
                print(error)
                sys.exit(1)
            """
        let result = try await CommandResult.run(["python3", "-c", script, path])
        return result.status == 0 ? nil : result.stdout + result.stderr
    }

    /// The report test's repository plus `zsrc`, a download (a URL and a sha256) that builds find
    /// in the source mirror `served`: SPDX validators accept only URLs with a domain name, never
    /// a local server's `127.0.0.1`.
    static let zsrcURL = "https://downloads.example.org/zsrc/zsrc-3.0.tar.gz"

    static func repository(_ label: String, served: String) async throws -> TestRepository {
        let repo = try BuildReportTests.repository(label)
        let work = served + "/zsrc-3.0"
        try FileManager.default.createDirectory(atPath: work, withIntermediateDirectories: true)
        try "data\n".write(toFile: work + "/data", atomically: true, encoding: .utf8)
        #expect(try await CommandResult.run(["tar", "-C", served, "--mtime=@0", "--owner=0", "--group=0", "--sort=name",
                                       "-czf", served + "/zsrc-3.0.tar.gz", "zsrc-3.0"]).status == 0)
        let sha = String(try await CommandResult.run(["sha256sum", served + "/zsrc-3.0.tar.gz"]).stdout.prefix(64))
        try repo.write("Software/zsrc.yml", """
            name: zsrc
            default_version: "3.0"
            license: Zlib
            versions:
              "3.0":
                source: { url: "\(zsrcURL)", sha256: \(sha) }
            build: []
            """)
        try repo.project(dependencies: ["hello", "zsrc"], extra: "license: Apache-2.0\npackage: { formats: [deb, tar] }")
        return repo
    }

    static func sbomFiles(in directory: String) throws -> [String] {
        try FileManager.default.contentsOfDirectory(atPath: directory)
            .filter { $0.hasSuffix(".spdx.json") || $0.hasSuffix(".cdx.json") }.sorted()
    }

    @Test(.enabled(if: spdxValidator, "pyspdxtools is not installed (pip install spdx-tools)"),
          .enabled(if: cycloneDXValidator, "the CycloneDX validator is missing (pip install 'cyclonedx-python-lib[json-validation]')"))
    func everyPackageHasValidSPDXAndCycloneDXDocuments() async throws {
        let served = FileManager.default.temporaryDirectory.appendingPathComponent("omnibus-sbom-\(UUID().uuidString.prefix(8))").path
        try FileManager.default.createDirectory(atPath: served, withIntermediateDirectories: true)
        let repo = try await Self.repository("sbom", served: served)
        let build = try await repo.omnibus(["build", "app", "--offline", "--source-mirror", served])
        #expect(build.status == 0, "\(build.stderr)")
        let pkg = repo.root + "/pkg"
        let files = try Self.sbomFiles(in: pkg)
        #expect(files == ["app-1.0.0-1.debian12.x86_64.tar.gz.cdx.json", "app-1.0.0-1.debian12.x86_64.tar.gz.spdx.json",
                          "app_1.0.0-1_amd64.deb.cdx.json", "app_1.0.0-1_amd64.deb.spdx.json"], "\(files)")
        for file in files {
            let problems = await file.hasSuffix(".spdx.json") ? try Self.spdxProblems(pkg + "/" + file) : try Self.cycloneDXProblems(pkg + "/" + file)
            #expect(problems == nil, "\(file): \(problems ?? "")")
        }

        let deb = pkg + "/app_1.0.0-1_amd64.deb"
        let metadata = try BuildReportTests.json(at: deb + ".metadata.json")
        let sha = try #require(metadata["sha256"] as? String)
        let zsrcSHA = String(try await CommandResult.run(["sha256sum", served + "/zsrc-3.0.tar.gz"]).stdout.prefix(64))

        let spdx = try BuildReportTests.json(at: deb + ".spdx.json")
        #expect(spdx["spdxVersion"] as? String == "SPDX-2.3")
        #expect((spdx["creationInfo"] as? [String: Any])?["created"] as? String == "2000-01-01T00:00:00Z", "the package's epoch")
        let packages = try #require(spdx["packages"] as? [[String: Any]])
        let root = try #require(packages.first { $0["packageFileName"] as? String == "app_1.0.0-1_amd64.deb" })
        #expect(root["versionInfo"] as? String == "1.0.0-1" && root["licenseDeclared"] as? String == "Apache-2.0")
        #expect((root["checksums"] as? [[String: String]])?.contains(["algorithm": "SHA256", "checksumValue": sha]) == true)
        let zsrc = try #require(packages.first { $0["name"] as? String == "zsrc" })
        #expect(zsrc["downloadLocation"] as? String == Self.zsrcURL)
        #expect(zsrc["checksums"] as? [[String: String]] == [["algorithm": "SHA256", "checksumValue": zsrcSHA]])
        #expect(zsrc["licenseDeclared"] as? String == "Zlib" && zsrc["versionInfo"] as? String == "3.0")
        let edges = (spdx["relationships"] as? [[String: String]] ?? []).map {
            "\($0["spdxElementId"]!) \($0["relationshipType"]!) \($0["relatedSpdxElement"]!)"
        }
        #expect(edges.contains("SPDXRef-Software-hello DEPENDS_ON SPDXRef-Software-greet"), "\(edges)")
        #expect(edges.contains("\(root["SPDXID"] as! String) CONTAINS SPDXRef-Software-zsrc"))
        #expect(edges.contains("SPDXRef-DOCUMENT DESCRIBES \(root["SPDXID"] as! String)"))

        let cdx = try BuildReportTests.json(at: deb + ".cdx.json")
        #expect(cdx["specVersion"] as? String == "1.5")
        let serial = try #require(cdx["serialNumber"] as? String)
        #expect(serial.hasPrefix("urn:uuid:") && serial.dropFirst(9).split(separator: "-")[2].hasPrefix("5"), "a version-5 UUID")
        let cdxRoot = try #require((cdx["metadata"] as? [String: Any])?["component"] as? [String: Any])
        #expect((cdxRoot["hashes"] as? [[String: String]])?.contains(["alg": "SHA-256", "content": sha]) == true)
        let components = try #require(cdx["components"] as? [[String: Any]])
        #expect(components.map { $0["name"] as? String } == ["greet", "hello", "zsrc"])
        let cdxZsrc = try #require(components.last)
        #expect(cdxZsrc["hashes"] as? [[String: String]] == [["alg": "SHA-256", "content": zsrcSHA]])
        #expect((cdxZsrc["licenses"] as? [[String: [String: String]]])?.first?["license"]?["id"] == "Zlib")
        let dependencies = try #require(cdx["dependencies"] as? [[String: Any]])
        #expect(dependencies.first { $0["ref"] as? String == "software:hello" }?["dependsOn"] as? [String] == ["software:greet"])

        // The judges can fail: a document with a wrong licence id and a broken hash is refused.
        let broken = served + "/broken"
        try FileManager.default.createDirectory(atPath: broken, withIntermediateDirectories: true)
        let badSPDX = String(decoding: try Data(contentsOf: URL(fileURLWithPath: deb + ".spdx.json")), as: UTF8.self)
            .replacingOccurrences(of: "\"Apache-2.0\"", with: "\"Not-A-Licence\"")
        try badSPDX.write(toFile: broken + "/x.spdx.json", atomically: true, encoding: .utf8)
        await #expect(try Self.spdxProblems(broken + "/x.spdx.json") != nil)
        let badCDX = String(decoding: try Data(contentsOf: URL(fileURLWithPath: deb + ".cdx.json")), as: UTF8.self)
            .replacingOccurrences(of: "\"SHA-256\"", with: "\"SHA256\"")
        try badCDX.write(toFile: broken + "/x.cdx.json", atomically: true, encoding: .utf8)
        await #expect(try Self.cycloneDXProblems(broken + "/x.cdx.json") != nil)
    }

    @Test func sbomsAreTheSameBytesFromAnotherWorkDirAndCache() async throws {
        let served = FileManager.default.temporaryDirectory.appendingPathComponent("omnibus-sbom-\(UUID().uuidString.prefix(8))").path
        try FileManager.default.createDirectory(atPath: served, withIntermediateDirectories: true)
        let repo = try await Self.repository("sbom-repro", served: served)
        var outputs: [String] = []
        for run in ["a", "b"] {
            let base = repo.root + "/../run-" + run
            let result = try await CommandResult.run([OmnibusBinaryPath.path, "build", "--root", repo.root, "--work-dir", base + "/work",
                                                "--cache-dir", base + "/cache", "--output-dir", base + "/pkg",
                                                "--offline", "--source-mirror", served, "app"],
                                               environment: ["OMNIBUS_LIBRARY": repo.root + "/no-library"])
            #expect(result.status == 0, "\(result.stderr)")
            #expect(result.stdout.contains("(3 built, 0 restored from cache)"), "each run builds from scratch")
            outputs.append(base + "/pkg")
        }
        let files = try Self.sbomFiles(in: outputs[0])
        #expect(files.count == 4)
        #expect(try Self.sbomFiles(in: outputs[1]) == files)
        for file in files {
            #expect(FileManager.default.contents(atPath: outputs[0] + "/" + file) == FileManager.default.contents(atPath: outputs[1] + "/" + file),
                    "\(file) differs between the two builds")
        }
    }
}
