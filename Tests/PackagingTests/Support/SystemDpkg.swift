import Foundation

/// dpkg stops at once while another dpkg holds its lock, and suites (of this target and of
/// BuildTests) run in parallel: tests that change the system's package database take turns on
/// one file lock, which `flock` waits for.
enum SystemDpkg {
    static let lock = "/tmp/omnibus-tests-dpkg.lock"

    static func run(_ arguments: [String]) async throws -> CommandResult {
        try await Command.run("flock", [lock, "dpkg"] + arguments)
    }

    /// For a test's `defer`, where nothing can be awaited: a purge is brief.
    @discardableResult
    static func runBriefly(_ arguments: [String]) throws -> CommandResult {
        try Command.runBriefly("flock", [lock, "dpkg"] + arguments)
    }
}
