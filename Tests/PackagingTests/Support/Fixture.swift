import Foundation
import Packaging

/// A small but realistic install dir built for one test: a C program linked through an rpath to
/// a shared library (both compiled here with the real `cc`), a versioned symlink, a config file,
/// a hard link, a name with spaces, a path and a symlink target longer than tar's 100 bytes, an
/// empty directory, and man pages meant to be excluded.
struct Fixture {
    /// A fresh directory owned by the test, removed by `remove()`.
    let base: String
    /// The tree that is packaged (it installs into `installDir`).
    let root: String
    let name: String
    var installDir: String { "/opt/\(name)" }

    static let exclude = ["embedded/share/man/**"]
    static let longDirectory = "share/data/" + String(repeating: "d", count: 60) + "/" + String(repeating: "e", count: 60)

    /// Builds the tree under a new temporary directory; `name` defaults to a unique package name.
    static func make(name: String? = nil, in parent: String? = nil) async throws -> Fixture {
        // Letters only: rpmlint judges paths with digits "versioned", so a digit in the name
        // would change its findings from one run to the next.
        let name = name ?? "omnibus-test-" + String((0..<8).map { _ in "abcdefghijklmnopqrstuvwxyz".randomElement()! })
        let parentDirectory = parent ?? FileManager.default.temporaryDirectory.path
        let base = parentDirectory + "/pkgtest-" + UUID().uuidString
        let root = base + "/root"
        let fixture = Fixture(base: base, root: root, name: name)
        try await fixture.populate()
        return fixture
    }

    func remove() {
        try? FileManager.default.removeItem(atPath: base)
    }

    private func populate() async throws {
        let manager = FileManager.default
        for directory in ["bin", "embedded/lib", "embedded/share/man/man1", "etc", "share/doc", "var/empty", Self.longDirectory] {
            try manager.createDirectory(atPath: root + "/" + directory, withIntermediateDirectories: true)
        }
        let sources = base + "/src"
        try manager.createDirectory(atPath: sources, withIntermediateDirectories: true)
        try write(sources + "/greet.c", """
            #include <stdio.h>
            #include <string.h>
            int demo_greet(const char *who, char *out, size_t size) {
                return snprintf(out, size, "hello, %s (%zu)", who, strlen(who));
            }

            """)
        try write(sources + "/main.c", """
            #include <stdio.h>
            #include <stddef.h>
            int demo_greet(const char *who, char *out, size_t size);
            int main(int argc, char **argv) {
                char line[128];
                demo_greet(argc > 1 ? argv[1] : "world", line, sizeof line);
                puts(line);
                return 0;
            }

            """)
        let library = root + "/embedded/lib/libdemo.so.1.0.0"
        try await compile(["-shared", "-fPIC", "-O2", "-Wl,-soname,libdemo.so.1", "-o", library, sources + "/greet.c"])
        try manager.createSymbolicLink(atPath: root + "/embedded/lib/libdemo.so.1", withDestinationPath: "libdemo.so.1.0.0")
        // An absolute rpath into the install dir, as every omnibus build links.
        try await compile(["-O2", "-o", root + "/bin/\(name)", sources + "/main.c", library,
                     "-Wl,-rpath,\(installDir)/embedded/lib"])
        try write(root + "/etc/\(name).conf", "# \(name) settings\nlisten = 127.0.0.1:8080\n")
        try write(root + "/share/doc/README", "The \(name) package, for tests.\n")
        try manager.linkItem(atPath: root + "/share/doc/README", toPath: root + "/share/doc/README.hardlink")
        try write(root + "/share/doc/notes with spaces.txt", "spaces survive\n")
        try write(root + "/" + Self.longDirectory + "/long-file-name.txt", "deep\n")
        // A symlink target longer than tar's 100-byte link field.
        try manager.createSymbolicLink(atPath: root + "/share/latest.txt",
                                       withDestinationPath: String(Self.longDirectory.dropFirst("share/".count)) + "/long-file-name.txt")
        try write(root + "/embedded/share/man/man1/\(name).1", ".TH DEMO 1\n")
        try manager.removeItem(atPath: sources)
    }

    private func compile(_ arguments: [String]) async throws {
        let result = try await Command.run("cc", arguments)
        guard result.succeeded else { throw FixtureError(message: "cc \(arguments.joined(separator: " ")): \(result.error)") }
    }

    private func write(_ path: String, _ text: String) throws {
        try Data(text.utf8).write(to: URL(fileURLWithPath: path))
    }

    /// The description every test package uses; `configFiles` and `scripts` vary per test.
    func info(version: String = "1.4.2", iteration: String = "1", user: String = "root", group: String = "root",
              scripts: [ScriptKind: String]? = nil, epoch: Int64 = 1_700_000_000) -> PackageInfo {
        PackageInfo(
            name: name, version: version, iteration: iteration, maintainer: "Omnibus Tests <tests@example.com>",
            homepage: "https://example.com/omnibus-tests",
            description: """
                Test bundle for the omnibus packaging tests
                A C program and its private shared library, installed into one directory
                under /opt with everything they need.

                Built by the test suite and removed again.
                """,
            license: "Apache-2.0",
            runtimeDependencies: ["libc6 (>= 2.17)"], configFiles: ["\(installDir)/etc/\(name).conf"],
            user: user, group: group, installDir: installDir, sourceDateEpoch: epoch,
            scripts: scripts ?? [.postinst: MaintainerScripts.defaultPostinst(installDir: installDir, user: user, group: group)],
            versionManifest: Data(#"{"manifest_format": 1, "software": {"demo": {"version": "1.4.2"}}}"#.utf8))
    }

    /// Scans the tree with the standard excludes.
    func contents(_ info: PackageInfo) throws -> PackageContents {
        try PackageContents.scan(root: root, info: info, exclude: Self.exclude)
    }

    /// Writes one package into `base/out-<format>` and returns it.
    func build(_ packager: some Packager, info: PackageInfo, output: String? = nil) throws -> BuiltPackage {
        try PackageWriter.write(packager, contents: try contents(info), info: info,
                                outputDirectory: output ?? base + "/out-\(type(of: packager).name)")
    }
}

struct FixtureError: Error, CustomStringConvertible {
    let message: String
    var description: String { message }
}
