import Foundation

/// A clean Debian 12 root (`mmdebstrap --variant=minbase`: only the Essential and required
/// packages, as a new server or container has), for tests that install into a real system.
/// The root is made once per test run into a tarball that every test unpacks into a directory
/// of its own; the tarball lives in this process's cache directory, removed at exit.
enum DebianRoot {
    static let mirror = "http://deb.debian.org/debian"
    static let canMake = getuid() == 0 && ["/usr/bin/mmdebstrap", "/usr/sbin/chroot"].allSatisfy { FileManager.default.isExecutableFile(atPath: $0) }

    private static let cacheDirectory = FileManager.default.temporaryDirectory.path + "/omnibus-tests-\(getpid())"

    struct RootError: Error, CustomStringConvertible {
        let description: String
    }

    /// Unpacks a fresh root into `directory`, making the tarball first if this run has none.
    /// Fails (with mmdebstrap's reason) when no root can be made, e.g. without network.
    static func make(at directory: String) async throws(RootError) {
        let tarball = try await made.value.get()
        try? FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        let unpack = try? await CommandResult.run(["tar", "-xf", tarball, "-C", directory])
        guard let unpack, unpack.status == 0 else {
            throw RootError(description: "cannot unpack \(tarball): \(unpack?.stderr ?? "tar did not run")")
        }
    }

    /// Started by the first test that needs a root; every later one awaits the same result.
    private static let made = Task<Result<String, RootError>, Never> {
        let tarball = cacheDirectory + "/debian-bookworm-minbase.tar"
        try? FileManager.default.createDirectory(atPath: cacheDirectory, withIntermediateDirectories: true)
        atexit { try? FileManager.default.removeItem(atPath: DebianRoot.cacheDirectory) }
        let run = try? await CommandResult.run(["/usr/bin/mmdebstrap", "--quiet", "--variant=minbase", "bookworm", tarball, mirror])
        if let run, run.status == 0 { return .success(tarball) }
        let reason = run.map { String($0.stderr.suffix(600)) } ?? "mmdebstrap did not start"
        return .failure(RootError(description: "mmdebstrap --variant=minbase bookworm (\(mirror)) failed: \(reason)"))
    }
}
