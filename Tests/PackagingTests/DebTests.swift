import Archive
import Foundation
import Testing
@testable import Packaging

@Suite struct DebTests {
    static let hasDpkgDeb = Command.which("dpkg-deb") != nil

    @Test(.enabled(if: hasDpkgDeb, "dpkg-deb is not installed"), arguments: ArchiveCompression.Algorithm.allCases)
    func dpkgDebReadsControlContentsAndData(algorithm: ArchiveCompression.Algorithm) async throws {
        let fixture = try await Fixture.make()
        defer { fixture.remove() }
        let built = try fixture.build(DebPackager(compression: ArchiveCompression(algorithm)), info: fixture.info())
        let deb = built.path
        #expect(URL(fileURLWithPath: deb).lastPathComponent == "\(fixture.name)_1.4.2-1_\(PackageArchitecture.host.debian).deb")

        // Members in the order dpkg requires.
        let members = try await Command.run("ar", ["t", deb])
        #expect(members.text == "debian-binary\ncontrol.tar.gz\ndata.tar.\(algorithm.fileExtension)\n")

        let info = try await Command.run("dpkg-deb", ["--info", deb])
        #expect(info.succeeded, "\(info.error)")
        let control = try await Command.run("dpkg-deb", ["--field", deb])
        let expectedControl = """
            Package: \(fixture.name)
            Version: 1.4.2-1
            Architecture: \(PackageArchitecture.host.debian)
            Maintainer: Omnibus Tests <tests@example.com>
            Installed-Size: \(try installedSize(fixture))
            Depends: libc6 (>= 2.17)
            Section: misc
            Priority: optional
            Homepage: https://example.com/omnibus-tests
            Description: Test bundle for the omnibus packaging tests
             A C program and its private shared library, installed into one directory
             under /opt with everything they need.
             .
             Built by the test suite and removed again.

            """
        #expect(control.text == expectedControl, "dpkg-deb --field said:\n\(control.text)")

        let controlMembers = try await Command.shell("dpkg-deb --ctrl-tarfile \(Command.quote(deb)) | tar -tvf -")
        let controlLines = controlMembers.text.split(separator: "\n")
        #expect(controlLines.map { String($0.split(separator: " ").last!) } == ["./", "./conffiles", "./control", "./md5sums", "./postinst"])
        #expect(controlLines.allSatisfy { $0.contains(" root/root ") })
        #expect(controlLines.last?.hasPrefix("-rwxr-xr-x") == true)
        let conffiles = try await Command.shell("dpkg-deb --ctrl-tarfile \(Command.quote(deb)) | tar -xOf - ./conffiles")
        #expect(conffiles.text == "\(fixture.installDir)/etc/\(fixture.name).conf\n")

        // Every member root-owned, named ./..., sorted, parents first, with the disk's modes.
        let listing = try await Command.run("dpkg-deb", ["--contents", deb])
        let lines = listing.text.split(separator: "\n").map(String.init)
        let names = lines.map { line in String(line[line.range(of: " ./")!.upperBound...]).components(separatedBy: " link to ")[0].components(separatedBy: " -> ")[0] }
        #expect(names.prefix(3) == ["", "opt/", "opt/\(fixture.name)/"])
        #expect(lines.allSatisfy { $0.contains(" root/root ") })
        #expect(names == names.sorted { $0.utf8.lexicographicallyPrecedes($1.utf8) })
        #expect(lines.contains { $0.hasPrefix("-rwxr-xr-x") && $0.hasSuffix("./opt/\(fixture.name)/bin/\(fixture.name)") })
        #expect(lines.contains { $0.hasPrefix("lrwxrwxrwx") && $0.hasSuffix("embedded/lib/libdemo.so.1 -> libdemo.so.1.0.0") })
        #expect(lines.contains { $0.hasPrefix("hrw-r--r--") && $0.hasSuffix("share/doc/README.hardlink link to ./opt/\(fixture.name)/share/doc/README") })
        #expect(lines.contains { $0.hasSuffix(Fixture.longDirectory + "/long-file-name.txt") })
        #expect(lines.contains { $0.hasSuffix("share/latest.txt -> " + Fixture.longDirectory.dropFirst(6) + "/long-file-name.txt") })
        #expect(!lines.contains { $0.contains("/man/") })
        #expect(lines.allSatisfy { $0.contains(" 2023-11-14 22:13 ") })

        // data.tar is GNU tar ("ustar  \0" magic), not pax, and its files match md5sums.
        let scratch = fixture.base + "/unpacked"
        try FileManager.default.createDirectory(atPath: scratch, withIntermediateDirectories: true)
        let data = try await Command.shell("dpkg-deb --fsys-tarfile \(Command.quote(deb)) > \(Command.quote(scratch))/data.tar")
        #expect(data.succeeded)
        let tarBytes = try Data(contentsOf: URL(fileURLWithPath: scratch + "/data.tar"))
        #expect(tarBytes[257..<265] == Data("ustar  \0".utf8))
        #expect(tarBytes.range(of: Data("PaxHeader".utf8)) == nil)
        #expect(try await Command.run("dpkg-deb", ["-x", deb, scratch + "/tree"]).succeeded)
        let sums = try await Command.shell("dpkg-deb --ctrl-tarfile \(Command.quote(deb)) | tar -xOf - ./md5sums > \(Command.quote(scratch))/md5sums && cd \(Command.quote(scratch))/tree && md5sum --strict -c ../md5sums")
        #expect(sums.succeeded, "\(sums.text) \(sums.error)")
        #expect(sums.text.split(separator: "\n").count == 6)
        #expect(!sums.text.contains(".conf:"), "conffiles are not listed in md5sums")
    }

    /// dpkg-gencontrol's rule, computed independently with `du`-like arithmetic on the tree.
    private func installedSize(_ fixture: Fixture) throws -> Int64 {
        let contents = try fixture.contents(fixture.info())
        var total: Int64 = 2  // "./" and "./opt/"
        for entry in contents.entries {
            switch entry.kind {
            case .file: total += (entry.size + 1023) / 1024
            case .hardlink: break
            default: total += 1
            }
        }
        return total
    }

    static let hasLintian = Command.which("lintian") != nil

    /// Tags lintian reports for any well-formed omnibus package; docs/packaging.md gives reasons.
    static let expectedLintianTags: Set<String> = [
        "dir-or-file-in-opt", "no-changelog", "no-copyright-file",           // any package in /opt
        "non-etc-file-marked-as-conffile",                                    // config_files under the install dir
        "recursive-privilege-change",                                        // the default postinst
        "custom-library-search-path",                                        // the rpath into embedded/lib
        "unstripped-binary-or-object", "shared-library-is-executable",       // what the test project built
    ]

    @Test(.enabled(if: hasLintian, "lintian is not installed"))
    func lintianReportsOnlyTheDocumentedTags() async throws {
        let fixture = try await Fixture.make()
        defer { fixture.remove() }
        // An epoch of 0 (as from a repository without history) must still give no "ancient" files.
        let built = try fixture.build(DebPackager(compression: ArchiveCompression(.xz)), info: fixture.info(epoch: 0))
        let result = try await Command.run("lintian", ["--tag-display-limit", "0", built.path])
        let tags = Set(result.text.split(separator: "\n").compactMap { line -> String? in
            let fields = line.split(separator: " ")
            guard fields.count >= 3, line.dropFirst().hasPrefix(": ") else { return nil }
            return String(fields[2])
        })
        #expect(tags == Self.expectedLintianTags, "lintian said:\n\(result.text)\(result.error)")
        #expect(!result.text.contains("package-contains-ancient-file"))
    }
}
