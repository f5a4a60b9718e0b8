#if canImport(Glibc)
import Glibc
#endif

/// How omnibus starts a child (a build step, git, apt-get) with `posix_spawn`: in a process group
/// of its own so the whole tree can be signalled; with default handlers and an empty signal mask,
/// because the threads that start it block or ignore signals the child must obey; standard input
/// from `/dev/null`; and no descriptor of ours beyond the three standard ones, so a child never
/// holds another build's log or output pipe open. The one exception is what `inherit` names
/// explicitly (a make jobserver's pipe), renumbered from 3 up.
package final class ChildSpawn {
    private var actions = posix_spawn_file_actions_t()
    private var attributes = posix_spawnattr_t()
    /// How many descriptors `inherit` placed at 3, 4, ...: everything above them is closed.
    private var inheritedCount: Int32 = 0

    /// - Parameter signals: the signals whose handling is reset to the default in the child.
    package init(resetting signals: [Int32]) {
        posix_spawn_file_actions_init(&actions)
        posix_spawnattr_init(&attributes)
        posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETPGROUP | POSIX_SPAWN_SETSIGDEF | POSIX_SPAWN_SETSIGMASK))
        posix_spawnattr_setpgroup(&attributes, 0)
        var defaults = sigset_t()
        sigemptyset(&defaults)
        for signal in signals { sigaddset(&defaults, signal) }
        posix_spawnattr_setsigdefault(&attributes, &defaults)
        var empty = sigset_t()
        sigemptyset(&empty)
        posix_spawnattr_setsigmask(&attributes, &empty)
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
    }

    deinit {
        posix_spawn_file_actions_destroy(&actions)
        posix_spawnattr_destroy(&attributes)
    }

    /// Standard output and error both go to `path`, created or truncated.
    package func output(toFile path: String) {
        posix_spawn_file_actions_addopen(&actions, 1, path, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
        posix_spawn_file_actions_adddup2(&actions, 1, 2)
    }

    /// Standard output and error both go to `descriptor`, which the child then closes.
    package func output(toDescriptor descriptor: Int32) {
        posix_spawn_file_actions_adddup2(&actions, descriptor, 1)
        posix_spawn_file_actions_adddup2(&actions, descriptor, 2)
        posix_spawn_file_actions_addclose(&actions, descriptor)
    }

    /// The child keeps `descriptors`, renumbered 3, 4, ... in this order, whatever their numbers
    /// here: a fixed numbering lets the caller name them to the child (e.g. `--jobserver-auth=3,4`)
    /// before it knows which numbers are free in the child. Call once, after `output`.
    package func inherit(_ descriptors: [Int32]) {
        guard !descriptors.isEmpty else { return }
        let count = Int32(descriptors.count)
        // Through numbers above every source and every target first, so placing one never
        // overwrites another that is still to be placed.
        let parking = max(descriptors.max()! + 1, 3 + count)
        for (offset, descriptor) in descriptors.enumerated() {
            posix_spawn_file_actions_adddup2(&actions, descriptor, parking + Int32(offset))
        }
        for offset in 0..<count {
            posix_spawn_file_actions_adddup2(&actions, parking + offset, 3 + offset)
            posix_spawn_file_actions_addclose(&actions, parking + offset)
        }
        inheritedCount = count
    }

    /// Starts the child in `directory`; false when the C library cannot (glibc before 2.29).
    package func changeDirectory(to directory: String) -> Bool {
        guard let addChdir = Self.addChdir else { return false }
        return addChdir(&actions, directory) == 0
    }

    /// Starts `executable` (looked up on the parent's PATH when `searchPath` and it has no `/`)
    /// with exactly `environment`. Returns the pid, or the error number as a negative value.
    package func spawn(_ executable: String, arguments: [String], environment: [String: String],
                      searchPath: Bool = false) -> pid_t {
        if let addCloseFrom = Self.addCloseFrom { _ = addCloseFrom(&actions, 3 + inheritedCount) }
        let argv = arguments.map { strdup($0) } + [nil]
        let envp = environment.sorted { $0.key < $1.key }.map { strdup("\($0.key)=\($0.value)") } + [nil]
        defer {
            argv.forEach { free($0) }
            envp.forEach { free($0) }
        }
        var pid: pid_t = 0
        let code = searchPath ? posix_spawnp(&pid, executable, &actions, &attributes, argv, envp)
                              : posix_spawn(&pid, executable, &actions, &attributes, argv, envp)
        return code == 0 ? pid : -code
    }

    // glibc has these file actions, but its header hides them from Swift: looked up at run time.
    private typealias AddChdir = @convention(c) (UnsafeMutablePointer<posix_spawn_file_actions_t>, UnsafePointer<CChar>) -> Int32
    private typealias AddCloseFrom = @convention(c) (UnsafeMutablePointer<posix_spawn_file_actions_t>, Int32) -> Int32

    /// glibc 2.29+; avoids forking a shell just to change directory.
    private static let addChdir: AddChdir? = {
        guard let symbol = dlsym(UnsafeMutableRawPointer(bitPattern: 0), "posix_spawn_file_actions_addchdir_np") else { return nil }
        return unsafeBitCast(symbol, to: AddChdir.self)
    }()

    /// glibc 2.34+.
    private static let addCloseFrom: AddCloseFrom? = {
        guard let symbol = dlsym(UnsafeMutableRawPointer(bitPattern: 0), "posix_spawn_file_actions_addclosefrom_np") else { return nil }
        return unsafeBitCast(symbol, to: AddCloseFrom.self)
    }()
}
