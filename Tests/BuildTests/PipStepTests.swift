import Foundation
import Testing

/// The `pypi:` source kind and the `pip` step against real pip: wheels served by a local index
/// imitating PyPI's JSON API, installed into an embedded interpreter (a `venv --copies`).
@Suite(.serialized) struct PipStepTests {
    static let sitePackages = "embedded/lib/python3.11/site-packages"

    /// Every file under `directory` ending in `.pyc`, by path relative to it, with its bytes.
    static func bytecode(under directory: String) -> [String: Data] {
        var found: [String: Data] = [:]
        let walker = FileManager.default.enumerator(atPath: directory)
        while let relative = walker?.nextObject() as? String {
            if relative.hasSuffix(".pyc"), let data = FileManager.default.contents(atPath: directory + "/" + relative) {
                found[relative] = data
            }
        }
        return found
    }

    @Test func installsPinnedWheelsWithReproducibleBytecodeScriptsAndLicences() async throws {
        if let reason = PyPIFixture.unavailable { print("skipped: \(reason)"); return }
        let base = FileManager.default.temporaryDirectory.appendingPathComponent("omnibus-pip-\(UUID().uuidString.prefix(8))").path
        let installDir = base + "/opt/pipapp"
        let index = try await PyPIFixture(in: base + "/index")
        let server = try LocalHTTPServer(serving: index.directory)
        let environment = ["OMNIBUS_PYPI_INDEX": server.url + "/pypi"]
        var pycs: [[String: Data]] = []
        var workDirs: [String] = []
        for label in ["pip-first", "pip-second"] {
            let repo = try TestRepository(label)
            try PyPIFixture.writeProject(repo, pins: [index.pin("greet"), index.pin("colorlib")], installDir: installDir)
            let build = try await repo.omnibus(["build", "app"], environment: environment)
            #expect(build.status == 0, "\(build.stdout)\n\(build.stderr)")
            guard build.status == 0 else { return }
            workDirs.append(repo.workDir)
            let site = installDir + "/" + Self.sitePackages
            for path in ["greet/__init__.py", "greet-1.0.dist-info/METADATA", "colorlib-1.2.dist-info/RECORD"] {
                #expect(FileManager.default.fileExists(atPath: site + "/" + path), "\(path) installed")
            }
            let compiled = Self.bytecode(under: installDir + "/" + Self.sitePackages + "/greet")
            #expect(compiled.keys.sorted() == ["__pycache__/__init__.cpython-311.pyc", "__pycache__/util.cpython-311.pyc"])
            for (path, data) in compiled {
                let text = String(decoding: data, as: UTF8.self)
                #expect(!text.contains(repo.workDir) && !text.contains("/staging"), "\(path) names no work dir")
                #expect(text.contains(site + "/greet/"), "\(path) names the installed source")
            }
            pycs.append(compiled)
            let record = try String(contentsOfFile: site + "/greet-1.0.dist-info/RECORD", encoding: .utf8)
            #expect(record.contains("greet/__pycache__/util.cpython-311.pyc,,"))

            let script = try String(contentsOfFile: installDir + "/embedded/bin/greet", encoding: .utf8)
            #expect(script.hasPrefix("#!\(installDir)/embedded/bin/python3\n"))
            let run = try await CommandResult.run([installDir + "/embedded/bin/greet"])
            #expect(run.stdout == "greet 1.0\n")

            let manifest = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: installDir + "/version-manifest.json"))) as? [String: Any]
            let tools = (manifest?["software"] as? [String: Any])?["tools"] as? [String: Any]
            #expect(tools?["source_type"] as? String == "pypi")
            let distributions = tools?["distributions"] as? [[String: Any]] ?? []
            #expect(distributions.map { $0["name"] as? String } == ["colorlib", "greet"])
            #expect(distributions.map { $0["license"] as? String } == ["Apache-2.0", "MIT"])
            #expect(distributions.last?["checksum"] as? String == "sha256:" + index.wheels["greet"]!.sha256)
            #expect(distributions.last?["license_files"] as? [String] == ["LICENSES/tools/greet-1.0/LICENSE"])
            #expect(FileManager.default.fileExists(atPath: installDir + "/LICENSES/tools/greet-1.0/LICENSE"))
            let summary = try String(contentsOfFile: installDir + "/LICENSE", encoding: .utf8)
            #expect(summary.contains("colorlib 1.2: Apache-2.0 (\(index.wheels["colorlib"]!.fileName), sha256:\(index.wheels["colorlib"]!.sha256)); bundles native libraries: libcolor-1a2b3c4d.so.3"))
            #expect(distributions.first?["bundled_native_libraries"] as? [String] == ["libcolor-1a2b3c4d.so.3"])
            #expect(summary.contains("greet 1.0: MIT (\(index.wheels["greet"]!.fileName), sha256:\(index.wheels["greet"]!.sha256))"))
            try FileManager.default.removeItem(atPath: installDir)
        }
        #expect(workDirs.count == 2 && workDirs[0] != workDirs[1])
        #expect(pycs.count == 2 && pycs[0] == pycs[1], "the same .pyc bytes from two work dirs")
    }

    @Test func mirrorFillsTheDistributionsAndAnOfflineBuildNeedsNoNetwork() async throws {
        if let reason = PyPIFixture.unavailable { print("skipped: \(reason)"); return }
        let repo = try TestRepository("pip-mirror")
        let index = try await PyPIFixture(in: repo.root + "/../index")
        var server: LocalHTTPServer? = try LocalHTTPServer(serving: index.directory)
        let environment = ["OMNIBUS_PYPI_INDEX": server!.url + "/pypi"]
        try PyPIFixture.writeProject(repo, pins: [index.pin("greet"), index.pin("colorlib")], installDir: repo.installDir)
        let mirror = repo.root + "/../mirror"
        let fill = try await repo.omnibus(["mirror", "app", "--dir", mirror], environment: environment)
        #expect(fill.status == 0, "\(fill.stdout)\n\(fill.stderr)")
        for wheel in index.wheels.values {
            #expect(FileManager.default.fileExists(atPath: "\(mirror)/\(wheel.fileName)"))
            #expect(FileManager.default.fileExists(atPath: "\(mirror)/sha256/\(wheel.sha256)"))
            #expect(FileManager.default.fileExists(atPath: "\(mirror)/pypi/\(wheel.name)/\(wheel.version)/json"))
        }
        server = nil

        // Without network at all when this machine allows it (root and unshare): then nothing
        // the build does can reach an index, not even by mistake.
        let unshareWorks = (try? await CommandResult.run(["unshare", "-n", "true"]).status) == 0
        let isolate = getuid() == 0 && unshareWorks
        if !isolate { print("note: running without 'unshare -n' (needs root); the index is stopped instead") }
        func offline(_ extra: [String], workDir: String, cacheDir: String) async throws -> CommandResult {
            let command = [OmnibusBinaryPath.path, "build", "app", "--root", repo.root, "--work-dir", workDir,
                           "--cache-dir", cacheDir, "--offline"] + extra
            return try await CommandResult.run((isolate ? ["unshare", "-n"] : []) + command,
                                         environment: ["OMNIBUS_LIBRARY": repo.root + "/no-library"].merging(environment) { $1 })
        }
        let built = try await offline(["--source-mirror", mirror], workDir: repo.workDir, cacheDir: repo.cacheDir)
        #expect(built.status == 0, "\(built.stdout)\n\(built.stderr)")
        #expect(try await CommandResult.run([repo.installDir + "/embedded/bin/greet"]).stdout == "greet 1.0\n")

        try FileManager.default.removeItem(atPath: repo.installDir)
        let refused = try await offline([], workDir: repo.workDir + "-bare", cacheDir: repo.cacheDir + "-bare")
        #expect(refused.status == 1)
        #expect(refused.stderr.contains("cannot fetch the Python distribution greet 1.0 (sha256:\(index.wheels["greet"]!.sha256))"))
        #expect(refused.stderr.contains("omnibus mirror PROJECT --dir DIR"))
    }

    @Test func anUnpinnedDependencyFailsNamingTheSoftwareAndWhatToPin() async throws {
        if let reason = PyPIFixture.unavailable { print("skipped: \(reason)"); return }
        let repo = try TestRepository("pip-unpinned")
        let index = try await PyPIFixture(in: repo.root + "/../index")
        let server = try LocalHTTPServer(serving: index.directory)
        try PyPIFixture.writeProject(repo, pins: [index.pin("greet")], installDir: repo.installDir)
        let build = try await repo.omnibus(["build", "app"], environment: ["OMNIBUS_PYPI_INDEX": server.url + "/pypi"])
        #expect(build.status == 1)
        #expect(build.stderr.contains("Software/tools.yml:"))
        #expect(build.stderr.contains("pip needs the distribution 'colorlib' ('colorlib>=1.0', which greet needs), but tools does not pin it"))
        #expect(build.stderr.contains("listed in the 'pypi:' source of tools: add '- { name: colorlib, version: \"VERSION\", sha256: SHA256 }'"))
        #expect(!server.requests.contains { $0.contains("colorlib") }, "pip never asked the index")
    }

    /// The library's Python is built without ensurepip: pip comes from a pinned pip wheel, which
    /// runs from the wheel file and is installed with the rest. Without that pin the step says so.
    @Test func aPythonWithoutPipRunsAPinnedPipWheelAndInstallsIt() async throws {
        if let reason = PyPIFixture.unavailable { print("skipped: \(reason)"); return }
        let debianWheels = "/usr/share/python-wheels"
        guard let pipWheel = (try? FileManager.default.contentsOfDirectory(atPath: debianWheels))?
            .first(where: { $0.hasPrefix("pip-") && $0.hasSuffix(".whl") }) else {
            print("skipped: no pip wheel in \(debianWheels) (Debian package python3-pip-whl)"); return
        }
        let pipVersion = String(pipWheel.dropFirst(4).prefix { $0 != "-" })
        let repo = try TestRepository("pip-from-wheel")
        var index = try await PyPIFixture(in: repo.root + "/../index")
        try await index.add(wheelAt: debianWheels + "/" + pipWheel, name: "pip", version: pipVersion)
        let server = try LocalHTTPServer(serving: index.directory)
        let environment = ["OMNIBUS_PYPI_INDEX": server.url + "/pypi"]

        try PyPIFixture.writeProject(repo, pins: [index.pin("greet"), index.pin("colorlib")], installDir: repo.installDir, withPip: false)
        let refused = try await repo.omnibus(["build", "app"], environment: environment)
        #expect(refused.status == 1)
        #expect(refused.stderr.contains("\(repo.installDir)/embedded/bin/python3 cannot import pip (its log says why), so tools's pip step cannot run: add 'pip' to the 'dependencies' of tools"),
                "\(refused.stderr)")

        try PyPIFixture.writeProject(repo, pins: [index.pin("greet"), index.pin("colorlib"), index.pin("pip")],
                                     installDir: repo.installDir, withPip: false)
        // A pip step copies each distribution's licence texts: no 'license_files' is wanted.
        let validate = try await repo.omnibus(["validate", "app"])
        #expect(validate.status == 0 && !(validate.stdout + validate.stderr).contains("no 'license_files' for tools"),
                "\(validate.stdout)\(validate.stderr)")
        let build = try await repo.omnibus(["build", "app"], environment: environment)
        #expect(build.status == 0, "\(build.stdout)\n\(build.stderr)")
        guard build.status == 0 else { return }
        #expect(try await CommandResult.run([repo.installDir + "/embedded/bin/greet"]).stdout == "greet 1.0\n")
        let installedPip = try await CommandResult.run([repo.installDir + "/embedded/bin/python3", "-m", "pip", "--version"])
        #expect(installedPip.status == 0 && installedPip.stdout.hasPrefix("pip \(pipVersion) from \(repo.installDir)/\(Self.sitePackages)/pip"),
                "\(installedPip.stdout)\(installedPip.stderr)")
        let manifest = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: repo.installDir + "/version-manifest.json"))) as? [String: Any]
        let tools = (manifest?["software"] as? [String: Any])?["tools"] as? [String: Any]
        let names = (tools?["distributions"] as? [[String: Any]] ?? []).compactMap { $0["name"] as? String }
        #expect(names == ["colorlib", "greet", "pip"])
    }

    @Test func pinsAreValidatedWithLocations() async throws {
        let repo = try TestRepository("pip-validate")
        try repo.write("Software/tools.yml", """
            name: tools
            default_version: "1"
            license: MIT
            versions:
              "1":
                source:
                  pypi:
                    - { name: greet, version: "1.0", sha256: abc }
                    - { name: colorlib, sha256: \(String(repeating: "a", count: 64)) }
                    - { name: Greet, version: "2.0", sha256: \(String(repeating: "b", count: 64)) }
                    - { name: "bad name", version: ">=1", sha256: \(String(repeating: "c", count: 64)), file: x.txt }
                    - { name: sneaky, version: "../../../etc/x", sha256: \(String(repeating: "d", count: 64)) }
            build:
              - pip: { pyhton: /usr/bin/python3 }
            """)
        try repo.project(dependencies: ["tools"])
        let result = try await repo.omnibus(["validate", "app"])
        #expect(result.status == 2)
        let lines = result.stderr + result.stdout
        #expect(lines.contains("Software/tools.yml:8:50: 'pypi.sha256' must be 64 hexadecimal digits, found 3 characters"))
        #expect(lines.contains("Software/tools.yml:9:11: missing required key 'pypi.version' in a pypi distribution"))
        #expect(lines.contains("Software/tools.yml:10:11: distribution 'Greet' is pinned twice (first at 8:11)"))
        #expect(lines.contains("Software/tools.yml:11:20: 'pypi.name' must be a distribution name"))
        #expect(lines.contains("'pypi.version' must be one exact version such as 2.32.5"))
        #expect(lines.contains("'pypi.file' must be a wheel or sdist file name"))
        // The version names a directory of the mirror: a path there would write outside it.
        #expect(lines.contains("Software/tools.yml:12:"), "\(lines)")
        #expect(lines.contains("no ranges, wildcards or paths), found '../../../etc/x'"), "\(lines)")
        #expect(lines.contains("Software/tools.yml:14:12: unknown key 'pip.pyhton' (did you mean 'pip.python'?)"))
    }
}
