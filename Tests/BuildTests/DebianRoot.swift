import Foundation
import Synchronization

/// A clean Debian 12 root (`mmdebstrap --variant=minbase`: only the Essential and required
/// packages, as a new server or container has), for tests that install into a real system.
/// The root is made once per test run into a tarball that every test unpacks into a directory
/// of its own; the tarball lives in this process's cache directory, removed at exit.
enum DebianRoot {
    static let mirror = "http://deb.debian.org/debian"
    static let canMake = getuid() == 0 && ["/usr/bin/mmdebstrap", "/usr/sbin/chroot"].allSatisfy { FileManager.default.isExecutableFile(atPath: $0) }

    private static let cacheDirectory = FileManager.default.temporaryDirectory.path + "/omnibus-tests-\(getpid())"
    private static let made = Mutex<Result<String, RootError>?>(nil)

    struct RootError: Error, CustomStringConvertible {
        let description: String
    }

    /// Unpacks a fresh root into `directory`, making the tarball first if this run has none.
    /// Fails (with mmdebstrap's reason) when no root can be made, e.g. without network.
    static func make(at directory: String) throws(RootError) {
        let tarball = try cachedTarball().get()
        try? FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        let unpack = try? CommandResult.run(["tar", "-xf", tarball, "-C", directory])
        guard let unpack, unpack.status == 0 else {
            throw RootError(description: "cannot unpack \(tarball): \(unpack?.stderr ?? "tar did not run")")
        }
    }

    private static func cachedTarball() -> Result<String, RootError> {
        made.withLock { made in
            if let made { return made }
            let tarball = cacheDirectory + "/debian-bookworm-minbase.tar"
            try? FileManager.default.createDirectory(atPath: cacheDirectory, withIntermediateDirectories: true)
            atexit { try? FileManager.default.removeItem(atPath: DebianRoot.cacheDirectory) }
            let result: Result<String, RootError>
            let run = try? CommandResult.run(["/usr/bin/mmdebstrap", "--quiet", "--variant=minbase", "bookworm", tarball, mirror])
            if let run, run.status == 0 {
                result = .success(tarball)
            } else {
                let reason = run.map { String($0.stderr.suffix(600)) } ?? "mmdebstrap did not start"
                result = .failure(RootError(description: "mmdebstrap --variant=minbase bookworm (\(mirror)) failed: \(reason)"))
            }
            made = result
            return result
        }
    }
}
