import Foundation
import Spawning

/// ccache for C and C++ steps (`--ccache`), set up so a hit gives exactly the bytes a
/// compilation would: it only skips work, so it is no input of the layer key.
///
/// - The build's compiler wrappers (`CompilerWrappers`, which add the prefix map) run the real
///   compiler through `ccache`, so definitions, configure scripts and Makefiles run unchanged
///   and `CC` keeps the value they recorded. Debian's masquerade directory is not put on PATH:
///   its links look the compiler up on PATH, would find the wrappers, and loop.
/// - `CCACHE_COMPILERCHECK=content`: a compiler upgraded in place never serves old objects.
/// - `hash_dir` stays on and `CCACHE_BASEDIR` stays unset: ccache then hashes the working
///   directory after the build's `-ffile-prefix-map` (the directory as it appears in the
///   output), and it never rewrites the compiler's command line, which BASEDIR would do (turning
///   absolute `-I` paths relative and so changing `__FILE__` in headers). A Makefile that drops
///   the prefix map gets the real directory hashed: a miss, never wrong bytes.
/// - No sloppiness: `__DATE__`/`__TIME__` and the rest are handled the careful default way.
/// - Configuration comes only from these variables and `<cache>/ccache/ccache.conf`, never
///   from the user's `~/.config/ccache`.
struct CompilerCache: Sendable {
    let directory: String
    /// The `ccache` program the compiler wrappers run compilers through.
    let launcher: String

    init(cacheDir: String) throws(CompilerCacheError) {
        guard let found = ChildProcess.which("ccache", in: HostIdentity.toolPath) else {
            throw .notInstalled
        }
        launcher = found
        directory = cacheDir + "/ccache"
    }

    var environment: [String: String] {
        [
            "CCACHE_DIR": directory,
            "CCACHE_CONFIGPATH": directory + "/ccache.conf",
            "CCACHE_COMPILERCHECK": "content",
        ]
    }
}

enum CompilerCacheError: Error, CustomStringConvertible {
    case notInstalled

    var description: String {
        switch self {
        case .notInstalled:
            "ccache is turned on but no ccache program is on the build PATH: install Debian's ccache package (apt-get install ccache), or build with --no-ccache"
        }
    }
}
