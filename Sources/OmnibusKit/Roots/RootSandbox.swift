import Foundation
import Spawning

/// Runs a command inside an extracted clean root: the root read-only at `/`, fresh `/proc`,
/// `/dev` and `/tmp`, the given directories bound read-write at their paths, the network cut
/// off unless allowed. The tool itself stays outside; only the command it starts is inside.
/// bubblewrap does it; where bwrap is missing, `unshare` from util-linux plus `chroot` does.
package struct RootSandbox: Sendable {
    package struct Bind: Sendable, Equatable {
        /// The directory on the host.
        package let source: String
        /// Where the command sees it inside the root.
        package let target: String
        package init(_ source: String, at target: String) {
            self.source = source
            self.target = target
        }
    }

    package let root: String
    package let binds: [Bind]
    package let network: Bool
    /// A build never writes into its root; installing a package to test it does.
    package let writableRoot: Bool

    package init(root: String, binds: [Bind], network: Bool, writableRoot: Bool = false) {
        self.root = root
        self.binds = binds
        self.network = network
        self.writableRoot = writableRoot
    }

    /// The command line that runs `arguments` in the root with `directory` as its working
    /// directory. The environment passes through unchanged.
    package func wrap(_ arguments: [String], directory: String?) throws(RootError) -> [String] {
        if let bwrap = ChildProcess.which("bwrap", in: RootStore.path) {
            // No --die-with-parent: its signal fires when the THREAD that started bwrap ends, and
            // the pool thread that spawned a step may end while a long configure still runs
            // (it killed xz's configure with SIGKILL). An interrupted step's process group,
            // bwrap and everything in its namespace, is signalled by ChildProcess instead.
            // Bound writable first so bwrap can make the mount points of the binds in it (empty
            // directories in the extracted copy, never in the cached tarball), then made read-only.
            var command = [bwrap, "--bind", root, "/", "--proc", "/proc", "--dev", "/dev", "--tmpfs", "/tmp",
                           "--unshare-pid", "--unshare-ipc", "--unshare-uts"]
            if !network {
                command.append("--unshare-net")
            } else {
                // Name resolution inside the root uses the host's resolver settings.
                command += ["--ro-bind-try", "/etc/resolv.conf", "/etc/resolv.conf"]
            }
            for bind in binds { command += ["--bind", bind.source, bind.target] }
            if !writableRoot {
                command += ["--remount-ro", "/"]
                // Run as root, bwrap keeps every capability: a step could remount the root
                // read-write or make device nodes. A build needs only to own and write its files.
                if getuid() == 0 {
                    command += ["--cap-drop", "ALL"]
                    for capability in ["CAP_CHOWN", "CAP_FOWNER", "CAP_DAC_OVERRIDE", "CAP_FSETID"] { command += ["--cap-add", capability] }
                }
            }
            if let directory { command += ["--chdir", directory] }
            return command + ["--"] + arguments
        }
        guard let unshare = ChildProcess.which("unshare", in: RootStore.path) else { throw .noSandboxTool }
        // Without bwrap the mounts are made by a shell in a private mount namespace, on the
        // extracted root itself (which is why the mount points are created there first).
        var script = ["set -e", "r=\(ChildProcess.shellQuoted([root]))"]
        script.append("mount --bind \"$r\" \"$r\"")
        for bind in binds {
            script.append("mkdir -p \"$r\"\(ChildProcess.shellQuoted([bind.target]))")
            script.append("mount --bind \(ChildProcess.shellQuoted([bind.source])) \"$r\"\(ChildProcess.shellQuoted([bind.target]))")
        }
        if !writableRoot { script.append("mount -o remount,bind,ro \"$r\"") }
        script += ["mount -t proc proc \"$r/proc\"", "mount --rbind /dev \"$r/dev\"", "mount -t tmpfs tmpfs \"$r/tmp\""]
        if network { script.append("mount --bind /etc/resolv.conf \"$r/etc/resolv.conf\" 2>/dev/null || true") }
        let inner = (directory.map { ["/usr/bin/env", "-C", $0] } ?? []) + arguments
        script.append("exec chroot \"$r\" " + ChildProcess.shellQuoted(inner))
        return [unshare, "--mount", "--propagation", "private", "--pid", "--fork", "--ipc", "--uts"]
            + (network ? [] : ["--net"]) + ["/bin/sh", "-c", script.joined(separator: "\n")]
    }
}
