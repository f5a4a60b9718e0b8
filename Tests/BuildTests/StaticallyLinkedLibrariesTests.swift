import Foundation
import OmnibusKit
import Testing

/// The OpenSSL a wheel's extension module carries inside itself, found in shared objects a real
/// compiler makes: one holding OpenSSL's version text and loading no libcrypto (cryptography's
/// `_rust.abi3.so`), and the same text in one that loads libcrypto, which is not counted.
@Suite struct StaticallyLinkedLibrariesTests {
    static let source = """
        const char *omnibus_openssl_text(void) { return "OpenSSL 9.1.2 1 Jan 2030"; }
        const char *omnibus_message(void) { return "OpenSSL 3's legacy provider failed to load."; }
        """

    func sharedObject(_ name: String, in directory: String, extra: [String]) async throws -> String? {
        try Self.source.write(toFile: directory + "/ext.c", atomically: true, encoding: .utf8)
        let output = directory + "/" + name
        let built = try await CommandResult.run(["cc", "-shared", "-fPIC", "-o", output, directory + "/ext.c", "-Wl,--no-as-needed"] + extra)
        guard built.status == 0 else { print("skipped: cc failed: \(built.stderr)"); return nil }
        return output
    }

    @Test func anExtensionWithOpenSSLInsideIsNamed() async throws {
        guard FileManager.default.isExecutableFile(atPath: "/usr/bin/cc") else { print("skipped: no cc (Debian package gcc)"); return }
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("omnibus-static-\(UUID().uuidString.prefix(8))").path
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        guard let statically = try await sharedObject("_rust.abi3.so", in: directory, extra: []) else { return }
        #expect(StaticallyLinkedLibraries.found(in: statically) == ["OpenSSL 9.1.2"])

        if FileManager.default.fileExists(atPath: "/usr/lib/x86_64-linux-gnu/libcrypto.so") || FileManager.default.fileExists(atPath: "/usr/lib/aarch64-linux-gnu/libcrypto.so") {
            guard let dynamically = try await sharedObject("_openssl.so", in: directory, extra: ["-lcrypto"]) else { return }
            #expect(StaticallyLinkedLibraries.found(in: dynamically) == [], "a module that loads libcrypto uses that one")
        } else {
            print("note: no libcrypto.so to link against (Debian package libssl-dev); the dynamic case is not tried")
        }
        try Data("not an ELF file, though it says OpenSSL 9.1.2 1 Jan 2030".utf8).write(to: URL(fileURLWithPath: directory + "/x.so"))
        #expect(StaticallyLinkedLibraries.found(in: directory + "/x.so") == [])
    }

    @Test func onlyAVersionWithAReleaseDateCounts() {
        let text = "x\0OpenSSL 3's legacy provider\0OpenSSL 4.0.3 29 Sep 2026\0OpenSSL 1.1.1w  11 Sep 2023\0OpenSSL 4.0.3 29 Sep 2026\0OpenSSL 3.0.2x"
        // OpenSSL 1.1 put two spaces before the date.
        #expect(StaticallyLinkedLibraries.openSSLVersions(in: Data(text.utf8)) == ["4.0.3", "1.1.1w"])
        #expect(StaticallyLinkedLibraries.openSSLVersions(in: Data("OpenSSL 1.1.1w 11 Sep 2023".utf8)) == ["1.1.1w"])
    }
}
