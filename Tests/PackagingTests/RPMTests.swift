import Archive
import Foundation
import Testing
@testable import Packaging

@Suite struct RPMTests {
    static let hasRPM = Command.which("rpm") != nil && Command.which("rpm2cpio") != nil && Command.which("cpio") != nil

    @Test(.enabled(if: hasRPM, "rpm, rpm2cpio or cpio is not installed"), arguments: ArchiveCompression.Algorithm.allCases)
    func rpmVerifiesAndQueriesThePackage(algorithm: ArchiveCompression.Algorithm) async throws {
        let fixture = try await Fixture.make()
        defer { fixture.remove() }
        let built = try fixture.build(RPMPackager(compression: ArchiveCompression(algorithm), vendor: "Example Inc.",
                                                  group: "Applications/System"), info: fixture.info())
        let rpm = built.path
        let arch = PackageArchitecture.host.rpm
        #expect(URL(fileURLWithPath: rpm).lastPathComponent == "\(fixture.name)-1.4.2-1.\(arch).rpm")

        let check = try await Command.run("rpm", ["-Kv", rpm])
        #expect(check.succeeded, "\(check.text)\(check.error)")
        for line in ["Header SHA256 digest: OK", "Payload SHA256 digest: OK", "MD5 digest: OK"] {
            #expect(check.text.contains(line), "\(check.text)")
        }

        let query = try await Command.run("rpm", ["-qp", "--qf", """
            %{NAME}|%{VERSION}|%{RELEASE}|%{ARCH}|%{OS}|%{LICENSE}|%{VENDOR}|%{GROUP}|%{URL}|%{SOURCERPM}|%{BUILDTIME}|%{BUILDHOST}|%{PAYLOADCOMPRESSOR}|%{SUMMARY}
            """, rpm])
        #expect(query.text == "\(fixture.name)|1.4.2|1|\(arch)|linux|Apache-2.0|Example Inc.|Applications/System|https://example.com/omnibus-tests|\(fixture.name)-1.4.2-1.src.rpm|1700000000|reproducible|\(algorithm == .gzip ? "gzip" : algorithm.rawValue)|Test bundle for the omnibus packaging tests",
                "\(query.text)\(query.error)")
        let description = try await Command.run("rpm", ["-qp", "--qf", "%{DESCRIPTION}", rpm])
        #expect(description.text == """
            A C program and its private shared library, installed into one directory
            under /opt with everything they need.

            Built by the test suite and removed again.
            """)
        let info = try await Command.run("rpm", ["-qpi", rpm])
        #expect(info.succeeded && info.text.contains("Name        : \(fixture.name)"))

        // The file list: the install dir and below only, root-owned, modes, links, config flag.
        let files = try await Command.run("rpm", ["-qp", "--qf", "[%{FILEMODES:perms} %{FILEUSERNAME}:%{FILEGROUPNAME} %{FILEFLAGS:fflags} %{FILENAMES}\n]", rpm])
        let lines = files.text.split(separator: "\n").map(String.init)
        #expect(lines.first == "drwxr-xr-x root:root  \(fixture.installDir)")
        #expect(lines.allSatisfy { $0.contains(" root:root ") })
        #expect(lines.allSatisfy { $0.contains(" \(fixture.installDir)") })
        #expect(lines.contains("-rw-r--r-- root:root cn \(fixture.installDir)/etc/\(fixture.name).conf"))
        let listed = try await Command.run("rpm", ["-qpl", rpm]).text.split(separator: "\n").map(String.init)
        #expect(listed.count == lines.count)
        #expect(!listed.contains("/opt") && !listed.contains("/"))
        #expect(listed.contains("\(fixture.installDir)/share/doc/notes with spaces.txt"))
        #expect(listed.contains("\(fixture.installDir)/\(Fixture.longDirectory)/long-file-name.txt"))
        let links = try await Command.run("rpm", ["-qp", "--qf", "[%{FILENAMES} -> %{FILELINKTOS}\n]", rpm]).text
        #expect(links.contains("embedded/lib/libdemo.so.1 -> libdemo.so.1.0.0\n"))
        let digests = try await Command.run("rpm", ["-qp", "--qf", "[%{FILEDIGESTS} %{FILENAMES}\n]", rpm]).text
        let readme = try await Command.run("sha256sum", [fixture.root + "/share/doc/README"]).text.prefix(64)
        #expect(digests.contains("\(readme) \(fixture.installDir)/share/doc/README\n"))
        #expect(digests.contains("\(readme) \(fixture.installDir)/share/doc/README.hardlink\n"))
        let requires = try await Command.run("rpm", ["-qpR", rpm]).text
        #expect(requires.contains("libc6 >= 2.17\n") && requires.contains("/bin/sh\n") && requires.contains("rpmlib(FileDigests) <= 4.6.0-1\n"))
        let scripts = try await Command.run("rpm", ["-qp", "--scripts", rpm]).text
        #expect(scripts.hasPrefix("postinstall scriptlet (using /bin/sh):\n#!/bin/sh\n"))

        // The payload, read by the real cpio: the header's names with ./ prefixes (hard-link sets
        // after the other entries, as rpmbuild orders them).
        let payload = try await Command.shell("rpm2cpio \(Command.quote(rpm)) | cpio -t --quiet")
        #expect(payload.succeeded, "\(payload.error)")
        #expect(payload.text.split(separator: "\n").map { String($0.dropFirst()) }.sorted() == listed.sorted())
    }

    static let canInstall = hasRPM && Command.isRoot && Command.which("useradd") != nil && Command.which("ldd") != nil

    @Test(.enabled(if: canInstall, "needs root, rpm, useradd and ldd (CI runs as root)"))
    func rpmInstallsIntoARootAndRunsThePostScript() async throws {
        let user = try #require(try TestUser.ensure())
        let fixture = try await Fixture.make()
        defer { fixture.remove() }
        let info = fixture.info(user: TestUser.name, group: TestUser.name)
        // chown in %post clears setuid and setgid bits; the generated script must put them back.
        chmod(fixture.root + "/bin/\(fixture.name)", 0o4755)
        _ = FileManager.default.createFile(atPath: fixture.root + "/bin/setgid-tool", contents: Data("#!/bin/sh\n".utf8))
        chmod(fixture.root + "/bin/setgid-tool", 0o2755)
        let built = try fixture.build(RPMPackager(compression: ArchiveCompression(.xz), vendor: "Example Inc.", group: "Applications/System"), info: info)
        let root = fixture.base + "/rpmroot"
        try await makeChroot(root, user: user)
        // A stray file with the wrong owner, there before the install: %post fixes it.
        try FileManager.default.createDirectory(atPath: root + fixture.installDir, withIntermediateDirectories: true)
        _ = FileManager.default.createFile(atPath: root + fixture.installDir + "/stray", contents: Data())

        let install = try await Command.run("rpm", ["-i", "--root", root, "--nodeps", built.path])
        #expect(install.succeeded && !install.error.contains("scriptlet failed"), "\(install.text)\(install.error)")
        for (relative, mode) in [("", 0o755), ("bin/\(fixture.name)", 0o4755), ("bin/setgid-tool", 0o2755), ("embedded/lib/libdemo.so.1.0.0", 0o755),
                                 ("etc/\(fixture.name).conf", 0o644), ("var/empty", 0o755), ("stray", 0o644)] {
            var status = stat()
            let path = root + fixture.installDir + (relative.isEmpty ? "" : "/" + relative)
            #expect(lstat(path, &status) == 0, "\(relative) is missing")
            #expect(status.st_uid == user.uid && status.st_gid == user.gid, "\(relative) owner \(status.st_uid):\(status.st_gid)")
            #expect(status.st_mode & 0o7777 == mode)
        }
        let target = try FileManager.default.destinationOfSymbolicLink(atPath: root + fixture.installDir + "/embedded/lib/libdemo.so.1")
        #expect(target == "libdemo.so.1.0.0")
        let copy = try Data(contentsOf: URL(fileURLWithPath: root + fixture.installDir + "/share/doc/README.hardlink"))
        #expect(copy == (try Data(contentsOf: URL(fileURLWithPath: fixture.root + "/share/doc/README"))))
        let verify = try await Command.run("rpm", ["--root", root, "-V", "--nodeps", fixture.name])
        #expect(verify.succeeded && verify.text.isEmpty, "\(verify.text)\(verify.error)")
        // The package owns the install dir, never its parent.
        let owner = try await Command.run("rpm", ["--root", root, "-qf", "/opt"])
        #expect(owner.text.contains("not owned by any package"))
        let erase = try await Command.run("rpm", ["--root", root, "-e", "--nodeps", fixture.name])
        #expect(erase.succeeded, "\(erase.error)")
        #expect(try FileManager.default.subpathsOfDirectory(atPath: root + fixture.installDir).sorted() == ["stray"])
    }

    /// The least a scriptlet needs under `rpm --root`: `/bin/sh`, `/bin/chown`, their libraries,
    /// and account files naming root and the test user.
    private func makeChroot(_ root: String, user: TestUser) async throws {
        let manager = FileManager.default
        try manager.createDirectory(atPath: root + "/bin", withIntermediateDirectories: true)
        try manager.createDirectory(atPath: root + "/etc", withIntermediateDirectories: true)
        // Files are copied resolved: a symlink would point outside the new root.
        func copyResolved(_ source: String, to destination: String) async throws {
            let real = try await Command.run("readlink", ["-f", source]).text.trimmingCharacters(in: .whitespacesAndNewlines)
            try manager.createDirectory(atPath: (destination as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
            try manager.copyItem(atPath: real, toPath: destination)
        }
        for (source, name) in [("/bin/sh", "sh"), ("/bin/chown", "chown"), ("/usr/bin/find", "find"), ("/bin/chmod", "chmod")] {
            try await copyResolved(source, to: root + "/bin/" + name)
            for library in try await Command.run("ldd", [source]).text.split(separator: "\n") {
                let fields = library.split(whereSeparator: \.isWhitespace)
                guard let path = fields.first(where: { $0.hasPrefix("/") }).map(String.init),
                      !manager.fileExists(atPath: root + path) else { continue }
                try await copyResolved(path, to: root + path)
            }
        }
        try Data("root:x:0:0:root:/root:/bin/sh\n\(TestUser.name):x:\(user.uid):\(user.gid)::/:/bin/sh\n".utf8)
            .write(to: URL(fileURLWithPath: root + "/etc/passwd"))
        try Data("root:x:0:\n\(TestUser.name):x:\(user.gid):\n".utf8).write(to: URL(fileURLWithPath: root + "/etc/group"))
    }

    static let hasRPMLint = Command.which("rpmlint") != nil

    /// Findings rpmlint reports for any omnibus package; docs/packaging.md gives the reasons.
    static let expectedRPMLintFindings: Set<String> = [
        "dir-or-file-in-opt", "no-signature", "no-changelogname-tag", "no-documentation",
        "invalid-license",                                                  // Debian's rpmlint knows no licences
        "non-etc-or-var-file-marked-as-conffile",                           // config_files under the install dir
        "dangerous-command-in-%post",                                        // the default postinst's chown
        "binary-or-shlib-defines-rpath",                                     // how omnibus finds embedded libs
        "non-versioned-file-in-library-package", "postin-without-ldconfig",  // a private shared library
        "library-without-ldconfig-postun",
        "unstripped-binary-or-object", "missing-hash-section",               // what the test project built
    ]

    @Test(.enabled(if: hasRPMLint, "rpmlint is not installed"))
    func rpmlintReportsOnlyTheDocumentedFindings() async throws {
        let fixture = try await Fixture.make()
        defer { fixture.remove() }
        let built = try fixture.build(RPMPackager(compression: ArchiveCompression(.xz), vendor: "Example Inc.", group: "Applications/System"),
                                      info: fixture.info())
        let result = try await Command.run("rpmlint", [built.path])
        let findings = Set(result.text.split(separator: "\n").compactMap { line -> String? in
            let fields = line.split(separator: " ")
            guard fields.count >= 3, fields[1] == "E:" || fields[1] == "W:" else { return nil }
            return String(fields[2])
        })
        #expect(findings == Self.expectedRPMLintFindings, "rpmlint said:\n\(result.text)\(result.error)")
    }
}
