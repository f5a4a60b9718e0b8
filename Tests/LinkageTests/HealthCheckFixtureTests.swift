import Foundation
import Testing
@testable import Linkage

/// Install dirs built in the test with the real compiler, checked as `omnibus build` checks them.
@Suite struct HealthCheckFixtureTests {
    static let program = "#include <stdio.h>\nint main(void) { puts(\"hi\"); return 0; }\n"
    static let zlibProgram = "#include <zlib.h>\n#include <stdio.h>\nint main(void) { puts(zlibVersion()); return 0; }\n"
    static let sslProgram = "#include <openssl/ssl.h>\nint main(void) { return OPENSSL_init_ssl(0, NULL) ? 0 : 1; }\n"

    /// The path ldd gives for `name` in `file`, so expectations come from the real loader.
    static func lddPath(of name: String, in file: String) throws -> String? {
        try LddListing.run(file).first { $0.name == name }?.path
    }

    @Test func programLinkedAgainstSystemZlibFailsNamingIt() throws {
        let install = try TemporaryDirectory("linkage-install")
        let binary = install.path + "/bin/zprog"
        try Compiler.build(Self.zlibProgram, to: binary, ["-lz"], in: install)
        let report = try HealthChecker().check(installDir: install.path, owners: ["bin/zprog": "zprog"])

        #expect(!report.passed)
        #expect(report.filesChecked == 1)
        let failure = try #require(report.failures.first)
        #expect(failure.file == "bin/zprog")
        #expect(failure.software == "zprog")
        let zlib = try #require(failure.findings.first { $0.library == "libz.so.1" })
        #expect(zlib.reason == .outsideInstallDir)
        #expect(zlib.resolvedPath == (try Self.lddPath(of: "libz.so.1", in: binary)))
        // libc and the loader are on the allow-list, so zlib is the only complaint.
        #expect(failure.findings.count == 1, "\(failure.findings)")
        let text = report.render()
        #expect(text.contains("bin/zprog (installed by zprog)"))
        #expect(text.contains("libz.so.1 => \(zlib.resolvedPath!)"))
        #expect(text.contains("FAILED"))
    }

    @Test func programLinkedAgainstSystemOpenSSLFailsWithTransitiveLibcrypto() throws {
        let install = try TemporaryDirectory("linkage-install")
        let binary = install.path + "/embedded/bin/sslprog"
        try Compiler.build(Self.sslProgram, to: binary, ["-lssl"], in: install)
        let report = try HealthChecker().check(installDir: install.path)
        let findings = try #require(report.failures.first?.findings)
        let ssl = try #require(findings.first { $0.library == "libssl.so.3" })
        #expect(ssl.resolvedPath == (try Self.lddPath(of: "libssl.so.3", in: binary)))
        #expect(ssl.neededBy == nil, "a direct dependency has no 'needed by'")
        // libcrypto comes through libssl, so the report says who pulled it in.
        let crypto = try #require(findings.first { $0.library == "libcrypto.so.3" })
        #expect(crypto.resolvedPath == (try Self.lddPath(of: "libcrypto.so.3", in: binary)))
        #expect(crypto.neededBy == ssl.resolvedPath)
    }

    /// Copies the system's real zlib into the install dir.
    static func bundleZlib(into directory: String) throws -> String {
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        let copy = directory + "/libz.so.1"
        try FileManager.default.copyItem(atPath: try SystemLibraries.realPath(ofSoname: "libz.so.1"), toPath: copy)
        return copy
    }

    @Test func bundledZlibFoundThroughAbsoluteRpathPasses() throws {
        let install = try TemporaryDirectory("linkage-install")
        let lib = install.path + "/embedded/lib"
        let copy = try Self.bundleZlib(into: lib)
        let binary = install.path + "/bin/zprog"
        try Compiler.build(Self.zlibProgram, to: binary, [copy, "-Wl,--disable-new-dtags,-rpath,\(lib)"], in: install)
        #expect(try Self.lddPath(of: "libz.so.1", in: binary) == copy, "the fixture must really load the bundled copy")
        let report = try HealthChecker().check(installDir: install.path)
        #expect(report.passed, "\(report.render())")
        #expect(report.filesChecked == 2)
    }

    @Test func bundledZlibFoundThroughOriginRunpathPasses() throws {
        let install = try TemporaryDirectory("linkage-install")
        let copy = try Self.bundleZlib(into: install.path + "/embedded/lib")
        let binary = install.path + "/embedded/bin/zprog"
        try Compiler.build(Self.zlibProgram, to: binary, [copy, "-Wl,--enable-new-dtags,-rpath,$ORIGIN/../lib"], in: install)
        let file = try ELFFile.read(path: binary)
        #expect(file.runpath == "$ORIGIN/../lib")
        #expect(file.rpath == nil)
        #expect(try Self.lddPath(of: "libz.so.1", in: binary) == install.path + "/embedded/bin/../lib/libz.so.1")
        let report = try HealthChecker().check(installDir: install.path)
        #expect(report.passed, "\(report.render())")
    }

    @Test func runpathIntoTmpOutsideTheInstallDirFails() throws {
        let install = try TemporaryDirectory("linkage-install")
        let outside = try TemporaryDirectory("linkage-outside")
        let leaked = outside.path + "/build/lib"
        let copy = try Self.bundleZlib(into: leaked)
        let binary = install.path + "/bin/zprog"
        try Compiler.build(Self.zlibProgram, to: binary, [copy, "-Wl,--enable-new-dtags,-rpath,\(leaked)"], in: install)
        let report = try HealthChecker().check(installDir: install.path)
        #expect(!report.passed)
        let findings = try #require(report.failures.first?.findings)
        let searchPath = try #require(findings.first { $0.reason == .searchPathOutsideInstallDir })
        #expect(searchPath.library == leaked)
        #expect(searchPath.resolvedPath == leaked)
        let zlib = try #require(findings.first { $0.library == "libz.so.1" })
        #expect(zlib.reason == .outsideInstallDir)
        #expect(zlib.resolvedPath == copy)
        #expect(zlib.resolvedPath == (try Self.lddPath(of: "libz.so.1", in: binary)))
    }

    @Test func missingLibraryFailsAsNotFound() throws {
        let install = try TemporaryDirectory("linkage-install")
        let build = try TemporaryDirectory("linkage-build")
        let library = build.path + "/libgone.so.1"
        try Compiler.sharedLibrary(library, soname: "libgone.so.1", symbol: "gone", in: build)
        let binary = install.path + "/bin/prog"
        try Compiler.build("int gone(void);\nint main(void) { return gone(); }\n", to: binary, [library], in: install)
        try FileManager.default.removeItem(atPath: library)
        #expect(try Self.lddPath(of: "libgone.so.1", in: binary) == "not found")
        let report = try HealthChecker().check(installDir: install.path, owners: ["bin/prog": "prog"])
        let finding = try #require(report.failures.first?.findings.first)
        #expect(finding == Finding(library: "libgone.so.1", resolvedPath: nil, reason: .notFound))
        #expect(report.render().contains("libgone.so.1 => not found"))
    }

    @Test func symlinkInsideTheInstallDirPointingOutFails() throws {
        let install = try TemporaryDirectory("linkage-install")
        let lib = try install.directory("embedded/lib")
        let system = try SystemLibraries.realPath(ofSoname: "libz.so.1")
        try FileManager.default.createSymbolicLink(atPath: lib + "/libz.so.1", withDestinationPath: system)
        try Compiler.build(Self.zlibProgram, to: install.path + "/bin/zprog",
                           [lib + "/libz.so.1", "-Wl,-rpath,\(lib)"], in: install)
        let report = try HealthChecker().check(installDir: install.path)
        let finding = try #require(report.failures.first?.findings.first)
        #expect(finding.library == "libz.so.1")
        #expect(finding.resolvedPath == lib + "/libz.so.1")
        #expect(finding.detail?.contains(system) == true)
    }

    @Test func unreadableELFFilesAreReportedPerFileWithoutStoppingTheCheck() throws {
        let install = try TemporaryDirectory("linkage-install")
        let good = install.path + "/bin/good"
        try Compiler.build(Self.program, to: good, in: install)
        let bytes = try [UInt8](Data(contentsOf: URL(fileURLWithPath: good)))
        try Data(bytes.prefix(40)).write(to: URL(fileURLWithPath: install.path + "/bin/short-header"))
        try Data(bytes.prefix(300)).write(to: URL(fileURLWithPath: install.path + "/bin/short-tables"))
        try Data(bytes.prefix(bytes.count / 2)).write(to: URL(fileURLWithPath: install.path + "/bin/half"))
        var generator = SystemRandomNumberGenerator()
        let noise = ELFParser.magic + (0..<8192).map { _ in UInt8.random(in: 0...255, using: &generator) }
        try Data(noise).write(to: URL(fileURLWithPath: try install.directory("lib") + "/noise.so"))
        try "just text\n".write(toFile: install.path + "/README", atomically: false, encoding: .utf8)

        let report = try HealthChecker().check(installDir: install.path, owners: ["lib/noise.so": "noise"])
        #expect(!report.passed)
        #expect(report.failures.isEmpty, "the good binary links only allowed libraries")
        let errored = Set(report.errors.map(\.file))
        #expect(errored.isSuperset(of: ["bin/short-header", "bin/short-tables"]))
        #expect(!errored.contains("bin/good"))
        #expect(!errored.contains("README"), "files without the ELF magic are not ELF files")
        #expect(report.filesChecked == 5)
        for error in report.errors {
            #expect(error.message.hasPrefix(install.path + "/" + error.file), "every message names its file")
        }
        // The noise file gets an error entry unless its random header happens to parse.
        if let noiseError = report.errors.first(where: { $0.file == "lib/noise.so" }) {
            #expect(noiseError.software == "noise")
        }
        #expect(report.render().contains("bin/short-header"))
    }

    @Test func projectAllowListEntriesAndExemptionsAreHonouredAndPrinted() throws {
        let install = try TemporaryDirectory("linkage-install")
        try Compiler.build(Self.zlibProgram, to: install.path + "/bin/zprog", ["-lz"], in: install)
        try Compiler.build(Self.sslProgram, to: install.path + "/libexec/tool", ["-lssl"], in: install)

        let allowZlib = HealthCheckPolicy(additionalAllowed: ["libz.so*"])
        let partly = try HealthChecker().check(installDir: install.path, policy: allowZlib)
        #expect(partly.failures.map(\.file) == ["libexec/tool"])

        let policy = HealthCheckPolicy(additionalAllowed: ["libz.so*"],
                                       exemptions: [.init("libexec/**", reason: "vendor tool, uses the system OpenSSL on purpose")])
        let report = try HealthChecker().check(installDir: install.path, policy: policy, owners: ["libexec/tool": "vendor"])
        #expect(report.passed, "\(report.render())")
        let exempted = try #require(report.exempted.first)
        #expect(exempted.file == "libexec/tool")
        #expect(exempted.software == "vendor")
        #expect(exempted.findings.contains { $0.library == "libssl.so.3" })
        #expect(report.render().contains("vendor tool, uses the system OpenSSL on purpose"))

        let strict = try HealthChecker().check(installDir: install.path, policy: HealthCheckPolicy(includeLinuxAllowList: false))
        #expect(strict.failures.first { $0.file == "bin/zprog" }?.findings.contains { $0.library == "libc.so.6" } == true)
    }

    @Test func jsonReportRoundTripsAndOrdersFilesByPath() throws {
        let install = try TemporaryDirectory("linkage-install")
        for name in ["zeta", "alpha", "mid/beta"] {
            try Compiler.build(Self.zlibProgram, to: install.path + "/bin/" + name, ["-lz"], in: install)
        }
        let report = try HealthChecker().check(installDir: install.path)
        #expect(report.failures.map(\.file) == ["bin/alpha", "bin/mid/beta", "bin/zeta"])
        let json = report.json()
        let decoder = JSONDecoder()
        decoder.keyDecodingStrategy = .convertFromSnakeCase
        let decoded = try decoder.decode(HealthReport.self, from: Data(json.utf8))
        #expect(decoded == report)
        let object = try #require(try JSONSerialization.jsonObject(with: Data(json.utf8)) as? [String: Any])
        #expect(object["passed"] as? Bool == false)
        // snake_case like the metadata files (a breaking change from the camelCase of 0.1.0).
        #expect(object["files_checked"] as? Int == 3)
        #expect(object["install_dir"] as? String == install.path)
        let finding = try #require(((object["failures"] as? [[String: Any]])?.first?["findings"] as? [[String: Any]])?.first)
        #expect(finding["resolved_path"] is String && finding["resolvedPath"] == nil)
        #expect(Self.camelCaseKeys(in: object).isEmpty, "\(Self.camelCaseKeys(in: object))")
        #expect(json.contains("\"reason\" : \"outside-install-dir\""))
        #expect(try HealthChecker().check(installDir: install.path).json() == json, "same input, same report")
    }

    /// Every key of a parsed JSON document, at any depth, that has an upper-case letter.
    static func camelCaseKeys(in value: Any) -> [String] {
        if let map = value as? [String: Any] {
            return map.keys.filter { $0 != $0.lowercased() } + map.values.flatMap { camelCaseKeys(in: $0) }
        }
        if let list = value as? [Any] { return list.flatMap { camelCaseKeys(in: $0) } }
        return []
    }

    @Test func aMissingInstallDirIsAnError() {
        #expect(throws: HealthCheckError.self) {
            try HealthChecker().check(installDir: "/nonexistent/linkage-\(UUID().uuidString)")
        }
    }
}
