import Foundation

/// dpkg stops at once ("dpkg frontend lock was locked by another process") while another dpkg
/// holds its lock, and suites run in parallel: every test that changes the system's package
/// database goes through this one file lock, which `flock` waits for. The PackagingTests target
/// uses the same lock file.
enum SystemDpkg {
    static let lock = "/tmp/omnibus-tests-dpkg.lock"

    static func run(_ arguments: [String]) async throws -> CommandResult {
        try await CommandResult.run(["flock", lock, "dpkg"] + arguments)
    }

    /// For a test's `defer`, where nothing can be awaited: a purge is brief, unless another
    /// test holds the lock for as long as its own short dpkg run.
    static func runBriefly(_ arguments: [String]) throws -> CommandResult {
        try CommandResult.runBriefly(["flock", lock, "dpkg"] + arguments)
    }
}
