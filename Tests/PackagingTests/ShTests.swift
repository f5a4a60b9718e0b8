import Archive
import Foundation
import Testing
@testable import Packaging

/// The `.sh` installer, judged by running it with the real shells: what it unpacks, what it
/// refuses, and its options. Installing into `/` with scripts is BuildTests' `ShInstallerTests`
/// (in a Debian root).
@Suite struct ShTests {
    static let canSwitchUser = Command.isRoot && Command.which("setpriv") != nil

    /// An installer and, from the same contents, the tarball it must match.
    struct Built {
        let fixture: Fixture
        let installer: String
        let tarball: String
        let postinstMarker: String
    }

    /// Scripts that leave a marker, so a test sees whether they ran.
    static func build(_ fixture: Fixture, _ algorithm: ArchiveCompression.Algorithm = .gzip) throws -> Built {
        let marker = fixture.base + "/postinst-ran"
        let scripts: [ScriptKind: String] = [
            .preinst: "#!/bin/sh\nset -e\necho \"$1\" > \(Command.quote(fixture.base + "/preinst-ran"))\n",
            .postinst: MaintainerScripts.defaultPostinst(installDir: fixture.installDir) + "echo \"$1\" > \(Command.quote(marker))\n",
        ]
        let info = fixture.info(scripts: scripts)
        let compression = ArchiveCompression(algorithm)
        let sh = try fixture.build(ShPackager(compression: compression), info: info)
        let tar = try fixture.build(TarPackager(compression: compression), info: info)
        return Built(fixture: fixture, installer: sh.path, tarball: tar.path, postinstMarker: marker)
    }

    /// What a tree holds: path, type, mode, owner, link target, size and link count of each entry.
    static func tree(_ directory: String) async throws -> [String] {
        let listing = try await Command.run("find", [directory, "-mindepth", "1", "-printf", "%P|%y|%m|%u:%g|%l|%s|%n\n"])
        #expect(listing.succeeded, "\(listing.error)")
        return listing.text.split(separator: "\n").map { line in
            let fields = line.split(separator: "|", omittingEmptySubsequences: false)
            // A directory's size is the filesystem's business, not the archive's.
            return fields[1] == "d" ? fields.prefix(5).joined(separator: "|") : String(line)
        }.sorted()
    }

    static let cases: [(ArchiveCompression.Algorithm, String)] = [(.gzip, "dash"), (.gzip, "bash"), (.xz, "dash"), (.zstd, "bash")]

    @Test(arguments: cases)
    func unpacksUnderTargetExactlyWhatTheTarballHolds(algorithm: ArchiveCompression.Algorithm, shell: String) async throws {
        let fixture = try await Fixture.make()
        defer { fixture.remove() }
        let built = try Self.build(fixture, algorithm)
        let platform = PlatformInfo.current().tag
        #expect(URL(fileURLWithPath: built.installer).lastPathComponent
                == "\(fixture.name)-1.4.2-1.\(platform).\(PackageArchitecture.host.rpm).sh")

        let target = fixture.base + "/target dir"
        let run = try await Command.run(shell, [built.installer, "--target", target, "--quiet"])
        #expect(run.succeeded, "\(run.error)")
        #expect(run.text.isEmpty, "--quiet printed: \(run.text)")
        let unpacked = fixture.base + "/from-tar"
        try FileManager.default.createDirectory(atPath: unpacked, withIntermediateDirectories: true)
        #expect(try await Command.run("tar", ["-xpf", built.tarball, "-C", unpacked]).succeeded)
        let installed = try await Self.tree(target)
        #expect(installed.count > 10)
        await #expect(installed == (try Self.tree(unpacked)))
        var linkStatus = stat(), fileStatus = stat()
        lstat(target + fixture.installDir + "/share/doc/README.hardlink", &linkStatus)
        lstat(target + fixture.installDir + "/share/doc/README", &fileStatus)
        #expect(linkStatus.st_ino == fileStatus.st_ino, "the hard link was unpacked as a copy")
        // The scripts act on the real install dir, so --target never runs them.
        #expect(!FileManager.default.fileExists(atPath: built.postinstMarker))
        #expect(!FileManager.default.fileExists(atPath: fixture.base + "/preinst-ran"))
        let program = try await Command.run(target + fixture.installDir + "/bin/\(fixture.name)", ["sh"],
                                      environment: ["LD_LIBRARY_PATH": target + fixture.installDir + "/embedded/lib"])
        #expect(program.text == "hello, sh (2)\n")

        let list = try await Command.run(shell, [built.installer, "--list"])
        #expect(list.succeeded, "\(list.error)")
        // The tarball is the deb's data tar (`./opt/...` and the parents `./`, `./opt/`); the
        // installer holds the same entries named from the root, without parents it must not touch.
        let tarball = try await Command.run("tar", ["-tf", built.tarball]).text.split(separator: "\n")
            .filter { $0 != "./" && $0 != "./opt/" }.map { $0.dropFirst(2) }
        #expect(list.text.split(separator: "\n") == tarball)
    }

    /// One changed byte anywhere after the header, or a missing or extra byte, and the installer
    /// stops before unpacking anything: the target directory is not even created.
    @Test(arguments: ["dash", "bash"])
    func aDamagedInstallerUnpacksNothing(shell: String) async throws {
        let fixture = try await Fixture.make()
        defer { fixture.remove() }
        let built = try Self.build(fixture)
        let original = try Data(contentsOf: URL(fileURLWithPath: built.installer))
        let layout = try ShLayout(original)
        var payloadByte = original
        payloadByte[layout.payloadStart + layout.payloadSize / 2] ^= 0x01
        var scriptByte = original
        scriptByte[layout.dataStart + layout.preinstSize + 3] ^= 0x20
        let damaged: [(String, Data, String)] = [
            ("payload-byte", payloadByte, "is corrupted: SHA-256"),
            ("postinst-byte", scriptByte, "is corrupted: SHA-256"),
            ("last-byte-missing", original.dropLast(1), "is truncated"),
            ("half", original.prefix(layout.payloadStart + layout.payloadSize / 2), "is truncated"),
            ("appended", original + Data("x".utf8), "1 bytes more than expected"),
        ]
        let good = try await Command.run(shell, [built.installer, "--check"])
        #expect(good.succeeded && good.text.contains("size and SHA-256 are correct"), "\(good.text)\(good.error)")
        for (label, bytes, message) in damaged {
            let path = fixture.base + "/\(label).sh"
            try bytes.write(to: URL(fileURLWithPath: path))
            let target = fixture.base + "/target-\(label)"
            for arguments in [["--target", target], ["--target", target, "--noexec"], ["--check"], ["--list"]] {
                let run = try await Command.run(shell, [path] + arguments)
                #expect(run.status == 1, "\(label) \(arguments): status \(run.status)")
                #expect(run.error.contains(message) && run.error.contains("Nothing was unpacked"), "\(label): \(run.error)")
                #expect(!run.text.contains("opt/"), "\(label) \(arguments) listed files: \(run.text)")
            }
            #expect(!FileManager.default.fileExists(atPath: target), "\(label): the target was created")
        }
    }

    @Test func optionsAreCheckedAndDocumented() async throws {
        let fixture = try await Fixture.make()
        defer { fixture.remove() }
        let built = try Self.build(fixture)
        let help = try await Command.run("dash", [built.installer, "--help"])
        #expect(help.succeeded && help.text.contains("--target DIR") && help.text.contains("--noexec"), "\(help.text)")
        let info = try await Command.run("dash", [built.installer, "--info"])
        #expect(info.succeeded)
        #expect(info.text.contains("Name:         \(fixture.name)\n") && info.text.contains("Version:      1.4.2-1\n")
                && info.text.contains("Installs to:  \(fixture.installDir)\n")
                && info.text.contains("Summary:      Test bundle for the omnibus packaging tests\n"), "\(info.text)")
        for (arguments, message) in [(["--bogus"], "unknown option: --bogus"), (["--check", "--list"], "choose one of"),
                                     (["--target"], "--target needs a directory"), (["--target="], "--target needs a directory"),
                                     (["--", "extra"], "unexpected argument: extra"), (["configure"], "unknown option: configure")] {
            let run = try await Command.run("dash", [built.installer] + arguments)
            #expect(run.status == 2 && run.error.contains(message) && run.error.contains("Usage: sh "), "\(arguments): \(run.error)")
        }
        // makeself's --keep changes nothing (nothing here is temporary); --target=DIR works too.
        let target = fixture.base + "/kept"
        let keep = try await Command.run("dash", [built.installer, "--keep", "--target=\(target)"])
        #expect(keep.succeeded && keep.text.contains("scripts not run"), "\(keep.error)")
        #expect(FileManager.default.fileExists(atPath: target + fixture.installDir + "/share/doc/README"))
    }

    /// An install dir that is a symlink to a directory elsewhere (a bigger disk) stays a link:
    /// the files go where it points, as dpkg would put them.
    /// Installing again (a reinstall, a newer version) never overwrites an admin's configuration:
    /// unchanged it stays, and a packaged copy that differs is put beside it as `.new`.
    @Test(arguments: ["dash", "bash"])
    func anEditedConfigFileIsKept(shell: String) async throws {
        let fixture = try await Fixture.make()
        defer { fixture.remove() }
        let built = try Self.build(fixture)
        let target = fixture.base + "/target"
        #expect(try await Command.run(shell, [built.installer, "--target", target, "--quiet"]).succeeded)
        let conf = target + fixture.installDir + "/etc/\(fixture.name).conf"
        let packaged = try String(contentsOfFile: conf, encoding: .utf8)
        // Unchanged: a second install leaves it and writes no .new.
        #expect(try await Command.run(shell, [built.installer, "--target", target, "--quiet"]).succeeded)
        #expect(try String(contentsOfFile: conf, encoding: .utf8) == packaged)
        #expect(!FileManager.default.fileExists(atPath: conf + ".new"))
        // Edited: kept, the packaged one beside it, and nothing set aside is left behind.
        try "edited=yes\n".write(toFile: conf, atomically: false, encoding: .utf8)
        let again = try await Command.run(shell, [built.installer, "--target", target])
        #expect(again.succeeded && again.text.contains("Kept the existing \(fixture.installDir)/etc/\(fixture.name).conf"), "\(again.text)\(again.error)")
        #expect(try String(contentsOfFile: conf, encoding: .utf8) == "edited=yes\n")
        #expect(try String(contentsOfFile: conf + ".new", encoding: .utf8) == packaged)
        #expect(!FileManager.default.fileExists(atPath: conf + ".omnibus-kept"))
    }

    /// What an interrupted run left set aside is the admin's copy; and a failed unpack puts the
    /// copies back before the installer exits.
    @Test func setAsideCopiesSurviveInterruptsAndFailures() async throws {
        let fixture = try await Fixture.make()
        defer { fixture.remove() }
        let built = try Self.build(fixture)
        let target = fixture.base + "/target"
        #expect(try await Command.run("dash", [built.installer, "--target", target, "--quiet"]).succeeded)
        let conf = target + fixture.installDir + "/etc/\(fixture.name).conf"
        let packaged = try String(contentsOfFile: conf, encoding: .utf8)
        try "admin=1\n".write(toFile: conf + ".omnibus-kept", atomically: false, encoding: .utf8)
        #expect(try await Command.run("dash", [built.installer, "--target", target, "--quiet"]).succeeded)
        #expect(try String(contentsOfFile: conf, encoding: .utf8) == "admin=1\n")
        #expect(try String(contentsOfFile: conf + ".new", encoding: .utf8) == packaged)
        #expect(!FileManager.default.fileExists(atPath: conf + ".omnibus-kept"))

        // A non-empty directory where the program belongs: tar fails, the edit is back in place.
        try "edited=yes\n".write(toFile: conf, atomically: false, encoding: .utf8)
        let program = target + fixture.installDir + "/bin/\(fixture.name)"
        try FileManager.default.removeItem(atPath: program)
        try FileManager.default.createDirectory(atPath: program + "/blocker", withIntermediateDirectories: true)
        let failed = try await Command.run("dash", [built.installer, "--target", target, "--quiet"])
        #expect(!failed.succeeded && failed.error.contains("unpacking into"), "\(failed.error)")
        #expect(try String(contentsOfFile: conf, encoding: .utf8) == "edited=yes\n")
        #expect(!FileManager.default.fileExists(atPath: conf + ".omnibus-kept"))
    }

    @Test func aSymlinkedInstallDirStaysALink() async throws {
        let fixture = try await Fixture.make()
        defer { fixture.remove() }
        let built = try Self.build(fixture)
        let target = fixture.base + "/target"
        let elsewhere = fixture.base + "/bigger-disk/\(fixture.name)"
        try FileManager.default.createDirectory(atPath: elsewhere, withIntermediateDirectories: true)
        try FileManager.default.createDirectory(atPath: target + "/opt", withIntermediateDirectories: true)
        try FileManager.default.createSymbolicLink(atPath: target + fixture.installDir, withDestinationPath: elsewhere)
        let run = try await Command.run("dash", [built.installer, "--target", target])
        #expect(run.succeeded, "\(run.error)")
        #expect(try FileManager.default.destinationOfSymbolicLink(atPath: target + fixture.installDir) == elsewhere)
        #expect(FileManager.default.isExecutableFile(atPath: elsewhere + "/bin/\(fixture.name)"))
    }

    /// Installing into / needs root; unpacking elsewhere does not.
    @Test(.enabled(if: canSwitchUser, "needs root and setpriv to run the installer as another user"))
    func withoutRootOnlyTargetWorks() async throws {
        let fixture = try await Fixture.make()
        defer { fixture.remove() }
        let built = try Self.build(fixture)
        let home = fixture.base + "/nobody"
        try FileManager.default.createDirectory(atPath: home, withIntermediateDirectories: true)
        #expect(try await Command.run("chown", ["65534:65534", home]).succeeded)
        let asNobody = ["--reuid=65534", "--regid=65534", "--clear-groups", "dash", built.installer]
        let refused = try await Command.run("setpriv", asNobody, environment: ["PATH": "/usr/bin:/bin", "TMPDIR": home])
        #expect(refused.status == 1 && refused.error.contains("needs root") && refused.error.contains("--target DIR"), "\(refused.error)")
        #expect(!FileManager.default.fileExists(atPath: fixture.installDir))
        let unpacked = try await Command.run("setpriv", asNobody + ["--target", home + "/t"], environment: ["PATH": "/usr/bin:/bin"])
        #expect(unpacked.succeeded, "\(unpacked.error)")
        #expect(FileManager.default.isExecutableFile(atPath: home + "/t" + fixture.installDir + "/bin/\(fixture.name)"))
    }

    /// An xz installer on a system without xz (Debian's minbase has none) says which package
    /// is missing and unpacks nothing; with xz on PATH the same tools suffice.
    @Test func aMissingDecompressorIsNamedBeforeAnythingIsUnpacked() async throws {
        let fixture = try await Fixture.make()
        defer { fixture.remove() }
        let built = try Self.build(fixture, .xz)
        let tools = fixture.base + "/tools"
        try FileManager.default.createDirectory(atPath: tools, withIntermediateDirectories: true)
        for tool in ["tail", "head", "wc", "sha256sum", "tar", "mkdir", "mktemp", "id", "rm"] {
            try FileManager.default.createSymbolicLink(atPath: tools + "/" + tool, withDestinationPath: try #require(Command.which(tool)))
        }
        let dash = try #require(Command.which("dash"))
        let target = fixture.base + "/target"
        let refused = try await Command.run(dash, [built.installer, "--target", target], environment: ["PATH": tools])
        #expect(refused.status == 1 && refused.error.contains("needs 'xz' to unpack (Debian package xz-utils)"), "\(refused.error)")
        #expect(!FileManager.default.fileExists(atPath: target))
        try FileManager.default.createSymbolicLink(atPath: tools + "/xz", withDestinationPath: try #require(Command.which("xz")))
        let unpacked = try await Command.run(dash, [built.installer, "--target", target], environment: ["PATH": tools])
        #expect(unpacked.succeeded, "\(unpacked.error)")
    }

    /// Package text with quotes and shell syntax is printed as written and never run.
    @Test func packageTextStaysText() async throws {
        let fixture = try await Fixture.make()
        defer { fixture.remove() }
        let marker = fixture.base + "/ran"
        var info = fixture.info()
        info.summary = "it's \"$(touch \(marker))\" `touch \(marker)` \\ $HOME ${x?}"
        let built = try fixture.build(ShPackager(), info: info)
        for shell in ["dash", "bash"] {
            let run = try await Command.run(shell, [built.path, "--info"])
            #expect(run.succeeded, "\(run.error)")
            #expect(run.text.contains("Summary:      \(info.summary)\n"), "\(run.text)")
        }
        #expect(!FileManager.default.fileExists(atPath: marker))
    }

    /// The header alone parses as a POSIX script for dash, bash and bash --posix.
    @Test func theHeaderIsValidShell() async throws {
        let fixture = try await Fixture.make()
        defer { fixture.remove() }
        let built = try Self.build(fixture)
        let bytes = try Data(contentsOf: URL(fileURLWithPath: built.installer))
        let layout = try ShLayout(bytes)
        let header = fixture.base + "/header.sh"
        try bytes.prefix(layout.dataStart).write(to: URL(fileURLWithPath: header))
        #expect(String(decoding: bytes.prefix(layout.dataStart), as: UTF8.self).hasSuffix("\nexit 0\n"))
        for shell in [["dash", "-n"], ["bash", "-n"], ["bash", "--posix", "-n"]] {
            let check = try await Command.run(shell[0], Array(shell.dropFirst()) + [header])
            #expect(check.succeeded && check.error.isEmpty, "\(shell): \(check.error)")
        }
    }
}

/// Where the parts of an installer are, read from its header's assignments.
struct ShLayout {
    let dataStart: Int
    let preinstSize: Int
    let postinstSize: Int
    let payloadSize: Int
    var payloadStart: Int { dataStart + preinstSize + postinstSize }

    init(_ bytes: Data) throws {
        let head = String(decoding: bytes.prefix(16_384), as: UTF8.self)
        func value(_ name: String) throws -> Int {
            guard let line = head.split(separator: "\n").first(where: { $0.hasPrefix(name + "=") }),
                  let number = Int(line.dropFirst(name.count + 1)) else {
                throw FixtureError(message: "no \(name)= line in the installer header")
            }
            return number
        }
        dataStart = try value("header_size")
        preinstSize = try value("preinst_size")
        postinstSize = try value("postinst_size")
        payloadSize = try value("payload_size")
    }
}
