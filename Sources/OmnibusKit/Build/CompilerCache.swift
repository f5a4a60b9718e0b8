import Foundation

/// ccache for C and C++ steps (`--ccache`), set up so a hit gives exactly the bytes a
/// compilation would: it only skips work, so it is no input of the layer key.
///
/// - Compilers are reached through Debian's masquerade directory (`cc`, `gcc`, `g++`... that
///   are ccache) put first on the tool part of PATH, so definitions, configure scripts and
///   Makefiles run unchanged and `CC` keeps the value they recorded.
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
    /// Debian's ccache package puts its compiler links here.
    static let masqueradeDirectory = "/usr/lib/ccache"

    let directory: String

    init(cacheDir: String) throws(CompilerCacheError) {
        guard FileManager.default.isExecutableFile(atPath: Self.masqueradeDirectory + "/cc") else {
            throw .notInstalled(Self.masqueradeDirectory)
        }
        directory = cacheDir + "/ccache"
    }

    var environment: [String: String] {
        [
            "CCACHE_DIR": directory,
            "CCACHE_CONFIGPATH": directory + "/ccache.conf",
            "CCACHE_COMPILERCHECK": "content",
        ]
    }

    /// The tool PATH with the masquerade directory in front of the system's compilers.
    func toolPath(_ path: String) -> String { Self.masqueradeDirectory + ":" + path }
}

enum CompilerCacheError: Error, CustomStringConvertible {
    case notInstalled(String)

    var description: String {
        switch self {
        case .notInstalled(let dir):
            "ccache is turned on but \(dir)/cc is missing: install Debian's ccache package (apt-get install ccache), or build with --no-ccache"
        }
    }
}
