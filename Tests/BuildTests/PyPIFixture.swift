import Foundation

/// A package index imitating PyPI's JSON API (`/pypi/<name>/<version>/json` naming each file's
/// URL and sha256) on a real local HTTP server, holding tiny pure-Python wheels written by
/// Python's own zipfile, and a repository whose `python` software is an embedded interpreter
/// made by `venv --copies` (Debian's python3 copied into `<install_dir>/embedded`, pip included).
struct PyPIFixture {
    struct Wheel {
        let name: String
        let version: String
        let fileName: String
        let sha256: String
    }

    let directory: String
    private(set) var wheels: [String: Wheel]

    /// Why the tests cannot run here, if they cannot: Debian's python3 with venv and ensurepip.
    static var unavailable: String? {
        guard FileManager.default.isExecutableFile(atPath: "/usr/bin/python3") else { return "no /usr/bin/python3 (Debian package python3)" }
        let probe = try? CommandResult.runBriefly(["/usr/bin/python3", "-c", "import venv, ensurepip"])
        guard probe?.status == 0 else { return "/usr/bin/python3 has no venv/ensurepip (Debian package python3-venv)" }
        return nil
    }

    /// `greet 1.0` (requires colorlib, licence as `License:`, a console script) and `colorlib
    /// 1.2` (licence as `License-Expression:`, a vendored `colorlib.libs/libcolor-….so.3`), under
    /// `directory/files` with their JSON documents.
    init(in directory: String) async throws {
        self.directory = directory
        try FileManager.default.createDirectory(atPath: directory + "/files", withIntermediateDirectories: true)
        let script = directory + "/mkwheel.py"
        try Self.wheelScript.write(toFile: script, atomically: true, encoding: .utf8)
        var wheels: [String: Wheel] = [:]
        for (name, version, license, requires) in [("greet", "1.0", "License: MIT", ["colorlib>=1.0"]),
                                                    ("colorlib", "1.2", "License-Expression: Apache-2.0", [])] {
            let made = try await CommandResult.run(["/usr/bin/python3", script, directory + "/files", name, version, license] + requires)
            guard made.status == 0 else { throw FixtureError("mkwheel failed: \(made.stderr)") }
            let path = made.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
            wheels[name] = try await Self.publish(path, name: name, version: version, in: directory)
        }
        self.wheels = wheels
    }

    /// The wheel at `path` (already under `files/`) and its release document, as PyPI's JSON
    /// API lists them.
    private static func publish(_ path: String, name: String, version: String, in directory: String) async throws -> Wheel {
        let sha = try await CommandResult.run(["sha256sum", path]).stdout.prefix(64)
        let wheel = Wheel(name: name, version: version, fileName: (path as NSString).lastPathComponent, sha256: String(sha))
        let json = """
            {"info": {"name": "\(name)", "version": "\(version)"}, "urls": [{"filename": "\(wheel.fileName)", \
            "url": "/files/\(wheel.fileName)", "packagetype": "bdist_wheel", "digests": {"md5": "0", "sha256": "\(wheel.sha256)"}}]}
            """
        try FileManager.default.createDirectory(atPath: "\(directory)/pypi/\(name)/\(version)", withIntermediateDirectories: true)
        try json.write(toFile: "\(directory)/pypi/\(name)/\(version)/json", atomically: true, encoding: .utf8)
        return wheel
    }

    /// Serves a wheel made elsewhere (Debian's own pip wheel) like the ones written here.
    mutating func add(wheelAt path: String, name: String, version: String) async throws {
        let fileName = (path as NSString).lastPathComponent
        try? FileManager.default.removeItem(atPath: directory + "/files/" + fileName)
        try FileManager.default.copyItem(atPath: path, toPath: directory + "/files/" + fileName)
        wheels[name] = try await Self.publish(directory + "/files/" + fileName, name: name, version: version, in: directory)
    }

    /// The `pypi:` item pinning a wheel.
    func pin(_ name: String) -> String {
        let wheel = wheels[name]!
        return "{ name: \(wheel.name), version: \"\(wheel.version)\", sha256: \(wheel.sha256) }"
    }

    /// `python` (the venv, a live install) and `tools` (the pinned wheels and a pip step), and
    /// the project `app` installing into `installDir`.
    static func writeProject(_ repo: TestRepository, pins: [String], installDir: String, withPip: Bool = true) throws {
        try repo.write("Software/python.yml", """
            name: python
            default_version: "3"
            license: PSF-2.0
            live_install: true
            versions:
              "3":
                source: { path: ../src/python }
            build:
              - run: /usr/bin/python3 -m venv --copies\(withPip ? "" : " --without-pip") {{embedded}}
            """)
        try repo.write("src/python/README", "the embedded interpreter is Debian's python3, copied by venv\n")
        try repo.write("Software/tools.yml", """
            name: tools
            default_version: "1"
            license: MIT
            dependencies: [python]
            versions:
              "1":
                source:
                  pypi:
            \(pins.map { "        - " + $0 }.joined(separator: "\n"))
            build:
              - pip:
            """)
        // venv copies Debian's python3, which links the host's libz and libexpat.
        try repo.project(dependencies: ["tools"], extra: """
            package: { formats: [tar] }
            health_check:
              exempt:
                - { path: "embedded/bin/python*", reason: "the test's interpreter is Debian's python3 copied by venv" }
            """, installDir: installDir)
    }

    struct FixtureError: Error, CustomStringConvertible {
        let description: String
        init(_ description: String) { self.description = description }
    }

    /// Writes a wheel with a correct RECORD; fixed zip timestamps keep its sha256 stable.
    static let wheelScript = #"""
        import base64, hashlib, sys, zipfile
        out, name, version, license_field = sys.argv[1:5]
        requires = sys.argv[5:]
        mod = name.replace("-", "_")
        info = f"{mod}-{version}.dist-info"
        meta = f"Metadata-Version: 2.1\nName: {name}\nVersion: {version}\n{license_field}\n"
        meta += "".join(f"Requires-Dist: {r}\n" for r in requires)
        files = {
            f"{mod}/__init__.py": f'VERSION = "{version}"\n\n\ndef main():\n    print("{name} " + VERSION)\n',
            f"{mod}/util.py": "def double(x):\n    return 2 * x\n",
            f"{info}/METADATA": meta,
            f"{info}/WHEEL": "Wheel-Version: 1.0\nGenerator: omnibus-test\nRoot-Is-Purelib: true\nTag: py3-none-any\n",
            f"{info}/entry_points.txt": f"[console_scripts]\n{name} = {mod}:main\n",
            f"{info}/LICENSE": f"{name}: the licence text\n",
        }
        if name == "colorlib":
            # Where auditwheel puts the shared libraries a wheel vendors (not an ELF file here).
            files[f"{mod}.libs/libcolor-1a2b3c4d.so.3"] = "stands for a vendored library\n"
        record = []
        for path, text in files.items():
            data = text.encode()
            digest = base64.urlsafe_b64encode(hashlib.sha256(data).digest()).rstrip(b"=").decode()
            record.append(f"{path},sha256={digest},{len(data)}")
        record.append(f"{info}/RECORD,,")
        files[f"{info}/RECORD"] = "\n".join(record) + "\n"
        path = f"{out}/{mod}-{version}-py3-none-any.whl"
        with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
            for entry_name, text in files.items():
                entry = zipfile.ZipInfo(entry_name, date_time=(1980, 1, 1, 0, 0, 0))
                entry.external_attr = 0o644 << 16
                entry.compress_type = zipfile.ZIP_DEFLATED
                z.writestr(entry, text)
        print(path)
        """#
}
