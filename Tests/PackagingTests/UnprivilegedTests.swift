import Archive
import Foundation
import Testing
@testable import Packaging

/// Packaging run by an unprivileged user: every entry of every format is still owned by root.
///
/// The test process cannot drop root for good without harming the other tests, so the packaging
/// runs on this test's own thread with its filesystem uid and gid switched to the test user
/// (`setfsuid`/`setfsgid` are per thread on Linux, and the kernel drops CAP_DAC_OVERRIDE with
/// them): files are then read and created exactly as that user could. Without root the test runs
/// as the (already unprivileged) current user.
@Suite struct UnprivilegedTests {
    @Test func aNonRootBuilderStillProducesRootOwnedEntries() async throws {
        let fixture = try await Fixture.make()
        defer { fixture.remove() }
        let output = fixture.base + "/out"
        try FileManager.default.createDirectory(atPath: output, withIntermediateDirectories: true)
        var builder = (uid: getuid(), gid: getgid())
        var switcher: FilesystemIdentity?
        if Command.isRoot {
            let user = try #require(try TestUser.ensure())
            builder = (user.uid, user.gid)
            #expect(try await Command.run("chown", ["-R", "\(user.uid):\(user.gid)", fixture.root, output]).succeeded)
            guard let identity = FilesystemIdentity() else {
                Issue.record("setfsuid/setfsgid are not available")
                return
            }
            switcher = identity
        }
        let info = fixture.info()
        let packagers: [any Packager] = [DebPackager(compression: ArchiveCompression(.xz)),
                                         RPMPackager(compression: ArchiveCompression(.zstd)), TarPackager()]
        let built = try FilesystemIdentity.running(as: builder, with: switcher) { () throws -> [BuiltPackage] in
            if switcher != nil {
                // Proof that this thread lost root's access: a root-only directory is closed to it.
                #expect(opendir("/root") == nil && errno == EACCES)
            }
            let contents = try fixture.contents(info)
            return try packagers.map { try PackageWriter.write($0, contents: contents, info: info, outputDirectory: output) }
        }
        #expect(built.count == 3)
        for package in built {
            var status = stat()
            #expect(stat(package.path, &status) == 0)
            #expect(status.st_uid == builder.uid, "the package was written by the builder")
        }
        try await expectRootOwned(built)
    }

    private func expectRootOwned(_ built: [BuiltPackage]) async throws {
        for package in built {
            switch package.format {
            case "deb":
                let listing = try await Command.run("dpkg-deb", ["--contents", package.path]).text
                #expect(!listing.isEmpty)
                #expect(listing.split(separator: "\n").allSatisfy { $0.contains(" root/root ") })
                let numeric = try await Command.shell("dpkg-deb --fsys-tarfile \(Command.quote(package.path)) | tar --numeric-owner -tvf -").text
                #expect(numeric.split(separator: "\n").allSatisfy { $0.contains(" 0/0 ") })
            case "rpm":
                let owners = try await Command.run("rpm", ["-qp", "--qf", "[%{FILEUSERNAME}:%{FILEGROUPNAME}\n]", package.path]).text
                #expect(!owners.isEmpty)
                #expect(owners.split(separator: "\n").allSatisfy { $0 == "root:root" })
                let payload = try await Command.shell("rpm2cpio \(Command.quote(package.path)) | cpio -tv --numeric-uid-gid --quiet").text
                #expect(payload.split(separator: "\n").allSatisfy { $0.split(separator: " ", omittingEmptySubsequences: true)[2...3] == ["0", "0"] })
            default:
                let listing = try await Command.run("tar", ["-tvf", package.path]).text
                #expect(listing.split(separator: "\n").allSatisfy { $0.contains(" root/root ") })
                let numeric = try await Command.run("tar", ["--numeric-owner", "-tvf", package.path]).text
                #expect(numeric.split(separator: "\n").allSatisfy { $0.contains(" 0/0 ") })
            }
        }
    }
}

/// Switches the calling thread's filesystem uid/gid (Linux `setfsuid(2)`, `setfsgid(2)`, which
/// Swift's Glibc module does not import, so they are looked up at run time).
struct FilesystemIdentity {
    private typealias Setter = @convention(c) (UInt32) -> Int32
    private let setUID: Setter
    private let setGID: Setter

    init?() {
        let process = dlopen(nil, RTLD_NOW)
        guard let uid = dlsym(process, "setfsuid"), let gid = dlsym(process, "setfsgid") else { return nil }
        setUID = unsafeBitCast(uid, to: Setter.self)
        setGID = unsafeBitCast(gid, to: Setter.self)
    }

    func become(uid: UInt32, gid: UInt32) throws {
        _ = setGID(gid)
        _ = setUID(uid)
        // Both calls return the previous id; asking again with an invalid id reads the current one.
        guard setUID(UInt32.max) == Int32(bitPattern: uid), setGID(UInt32.max) == Int32(bitPattern: gid) else {
            throw FixtureError(message: "setfsuid/setfsgid did not switch to \(uid):\(gid)")
        }
    }

    func restore() throws {
        try become(uid: 0, gid: 0)
    }

    /// Runs `body` as `identity` when a switcher is given, always switching back, even on error.
    static func running<T>(as identity: (uid: UInt32, gid: UInt32), with switcher: FilesystemIdentity?,
                           _ body: () throws -> T) throws -> T {
        guard let switcher else { return try body() }
        try switcher.become(uid: identity.uid, gid: identity.gid)
        defer { try? switcher.restore() }
        return try body()
    }
}
