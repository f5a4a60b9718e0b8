import Archive
import Definitions
import Foundation
import Testing
@testable import Packaging

/// Entries outside the install dir, read back by dpkg-deb and rpm: in path order among the
/// install dir's, with their own owners and modes, conffiles marked in both formats, and the
/// rpm claiming only what was declared.
@Suite struct ExtraEntryTests {
    static func extras(_ fixture: Fixture) throws -> [PackageInfo.ExtraEntry] {
        let unit = fixture.base + "/demo.service"
        try "[Service]\nExecStart=/bin/true\n".write(toFile: unit, atomically: true, encoding: .utf8)
        chmod(unit, 0o600)
        let conf = fixture.base + "/demo.conf"
        try "a=1\n".write(toFile: conf, atomically: true, encoding: .utf8)
        return [
            .init(path: "/usr/bin/\(fixture.name)", kind: .symlink(target: fixture.installDir + "/bin/\(fixture.name)")),
            .init(path: "/lib/systemd/system/\(fixture.name).service", kind: .file(source: unit)),
            .init(path: "/etc/\(fixture.name)/\(fixture.name).conf", kind: .file(source: conf), permissions: 0o640,
                  group: "adm", isConfig: true),
            .init(path: "/var/log/\(fixture.name)", kind: .directory, permissions: 0o750, user: "daemon", group: "adm"),
        ]
    }

    @Test func extraEntriesJoinThePathOrderWithTheirOwnersAndModes() async throws {
        let fixture = try await Fixture.make()
        defer { fixture.remove() }
        var info = fixture.info()
        info.extraEntries = try Self.extras(fixture)
        let contents = try fixture.contents(info)
        let paths = contents.entries.map(\.path)
        #expect(paths == paths.sorted { $0.utf8.lexicographicallyPrecedes($1.utf8) })
        let unit = try #require(contents.entries.first { $0.path.hasSuffix(".service") })
        // A checkout's umask does not reach the package: rw-r--r-- for a non-executable source.
        #expect(unit.permissions == 0o644 && unit.user == "root" && unit.kind == .file)
        let log = try #require(contents.entries.first { $0.path == "/var/log/\(fixture.name)" })
        #expect(log.permissions == 0o750 && log.user == "daemon" && log.group == "adm" && log.kind == .directory)
        let conf = try #require(contents.entries.first { $0.path.hasSuffix("/\(fixture.name).conf") && $0.path.hasPrefix("/etc") })
        #expect(conf.isConfig && conf.permissions == 0o640 && conf.group == "adm")
        // Inodes are numbered after the merge: still 1, 2, 3, ... in path order.
        let distinct = contents.entries.map(\.inode).reduce(into: [UInt32]()) { if $0.last != $1 { $0.append($1) } }
        #expect(distinct == Array(1...UInt32(contents.entries.count - 1)))
    }

    @Test(.enabled(if: Command.which("dpkg-deb") != nil && Command.which("rpm") != nil, "needs dpkg-deb and rpm to read the packages"))
    func dpkgAndRPMReadThemBack() async throws {
        let fixture = try await Fixture.make()
        defer { fixture.remove() }
        var info = fixture.info()
        info.extraEntries = try Self.extras(fixture)
        let deb = try fixture.build(DebPackager(), info: info)
        let listing = try await Command.run("dpkg-deb", ["-c", deb.path]).text
        func line(_ suffix: String) -> String? { listing.split(separator: "\n").map(String.init).first { $0.hasSuffix(suffix) } }
        #expect(line(" ./var/log/\(fixture.name)/")?.hasPrefix("drwxr-x--- daemon/adm ") == true, "\(listing)")
        #expect(line(" ./usr/bin/\(fixture.name) -> \(fixture.installDir)/bin/\(fixture.name)")?.hasPrefix("lrwxrwxrwx root/root ") == true)
        #expect(listing.contains("./etc/\(fixture.name)/\n") && listing.contains("./lib/systemd/system/\n"), "parents for dpkg")
        let conffiles = try await Command.run("sh", ["-c", "dpkg-deb --ctrl-tarfile '\(deb.path)' | tar -xO ./conffiles"]).text
        #expect(conffiles == "/etc/\(fixture.name)/\(fixture.name).conf\n\(fixture.installDir)/etc/\(fixture.name).conf\n")

        let rpm = try fixture.build(RPMPackager(), info: info)
        let files = try await Command.run("rpm", ["-qpl", rpm.path]).text.split(separator: "\n").map(String.init)
        #expect(files.contains("/var/log/\(fixture.name)") && files.contains("/usr/bin/\(fixture.name)"))
        #expect(!files.contains("/etc") && !files.contains("/usr/bin") && !files.contains("/lib/systemd/system"), "rpm claims only what was declared")
        let config = try await Command.run("rpm", ["-qpc", rpm.path]).text
        #expect(config == "/etc/\(fixture.name)/\(fixture.name).conf\n\(fixture.installDir)/etc/\(fixture.name).conf\n")
        let owners = try await Command.run("rpm", ["-qp", "--qf", "[%{FILEUSERNAME}:%{FILEGROUPNAME}:%{FILEMODES:octal} %{FILENAMES}\\n]", rpm.path]).text
        #expect(owners.contains("daemon:adm:40750 /var/log/\(fixture.name)\n"), "\(owners)")
    }

    @Test func anEntryInsideTheInstallDirIsRefused() async throws {
        let fixture = try await Fixture.make()
        defer { fixture.remove() }
        var info = fixture.info()
        info.extraEntries = [.init(path: fixture.installDir + "/x", kind: .directory)]
        #expect(throws: PackagingError.self) { try fixture.contents(info) }
    }
}
