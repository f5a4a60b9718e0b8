import Foundation

/// An unprivileged account for tests that need one (created with `useradd` when running as root,
/// as CI does; kept afterwards so concurrent tests never see it vanish).
struct TestUser {
    static let name = "omnibus-pkg-test"

    let uid: UInt32
    let gid: UInt32

    private static let lock = NSLock()

    /// The account, created if missing; nil when it does not exist and cannot be created.
    static func ensure() throws -> TestUser? {
        lock.lock()
        defer { lock.unlock() }
        if let user = lookup() { return user }
        guard Command.isRoot, let useradd = Command.which("useradd") else { return nil }
        let result = try Command.runBriefly(useradd, ["--system", "--user-group", "--no-create-home",
                                               "--shell", "/usr/sbin/nologin", name])
        // 9: created meanwhile by another process.
        guard result.succeeded || result.status == 9 else {
            throw FixtureError(message: "useradd \(name): \(result.error)")
        }
        return lookup()
    }

    private static func lookup() -> TestUser? {
        guard let entry = getpwnam(name) else { return nil }
        return TestUser(uid: entry.pointee.pw_uid, gid: entry.pointee.pw_gid)
    }
}
