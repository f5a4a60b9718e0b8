// swift-tools-version:6.0
import PackageDescription

// Dependency direction is top to bottom; nothing points back up. Every direct import is listed
// (scripts/check-module-deps, run by the test suite, fails when this drifts from the sources).
//
//   omnibus (executable) -> OmnibusCLI -> OmnibusKit
//   OmnibusKit -> {Definitions, Graph, Fetch, Linkage, Packaging, Publishing, Signing, Spawning, Digest, Archive, Globbing, Scratch}
//   Publishing -> {Packaging, Signing, Digest, Archive, Scratch}
//   Graph -> Definitions;  Fetch -> {Definitions, Digest, Archive, Spawning, Globbing, Scratch}
//   Packaging -> {Definitions, Digest, Archive, Globbing, Scratch};  Linkage -> Globbing
//   Signing -> Spawning;  Definitions -> {Digest, Archive, Globbing};  Digest -> COpenSSL;  Archive -> CArchive
//   (each C module has exactly one Swift wrapper)
let package = Package(
    name: "omnibus",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "omnibus", targets: ["omnibus"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/jpsim/Yams", from: "6.2.2"),
    ],
    targets: [
        // libarchive and liblzma (xz streams of parallel blocks), seen only through the Archive module.
        .systemLibrary(name: "CArchive", pkgConfig: "libarchive",
                       providers: [.apt(["libarchive-dev", "liblzma-dev"])]),
        // OpenSSL's libcrypto, seen only through the Digest module.
        .systemLibrary(name: "COpenSSL", pkgConfig: "libcrypto",
                       providers: [.apt(["libssl-dev"])]),
        // Message digests (SHA-256/512, MD5) of bytes, streams and files.
        .target(name: "Digest", dependencies: ["COpenSSL"], exclude: ["README.md"]),
        // Reading and writing archives (tar, ar, cpio, zip) and their compressors.
        .target(name: "Archive", dependencies: ["CArchive"], exclude: ["README.md"]),
        // Definition files -> validated, typed models; every problem with file:line:column; the kind protocols.
        .target(name: "Definitions", dependencies: ["Yams", "Digest", "Archive", "Globbing"], exclude: ["README.md"]),
        // Dependency DAG: resolution, overrides, deterministic order, cycles.
        .target(name: "Graph", dependencies: ["Definitions"], exclude: ["README.md"]),
        // The one glob language of every `exclude` and the one directory walker; no other module needed.
        .target(name: "Globbing", exclude: ["README.md"]),
        // ELF reader, loader-faithful library resolution, health-check policy.
        .target(name: "Linkage", dependencies: ["Globbing"], exclude: ["README.md"]),
        // The one process layer: every child is started, awaited, captured and cancelled here.
        .target(name: "Spawning", exclude: ["README.md"]),
        // OpenPGP signatures through the build machine's GnuPG, for packages and repositories.
        .target(name: "Signing", dependencies: ["Spawning"], exclude: ["README.md"]),
        // Temporaries named after the process writing them; the sweep for those of processes that are gone.
        .target(name: "Scratch", exclude: ["README.md"]),
        // Source kinds (url, git, path, file) and their fetching: source cache, mirrors, safe extraction.
        .target(name: "Fetch", dependencies: ["Definitions", "Digest", "Archive", "Spawning", "Globbing", "Scratch"], exclude: ["README.md"]),
        // Package formats (deb, rpm, tar, sh): native writers over a format-neutral content list.
        .target(name: "Packaging", dependencies: ["Definitions", "Digest", "Archive", "Globbing", "Scratch"], exclude: ["README.md"]),
        // apt and yum/dnf repositories: packages added, indexes written natively, signed through Signing.
        .target(name: "Publishing", dependencies: ["Packaging", "Signing", "Digest", "Archive", "Scratch"], exclude: ["README.md"]),
        // Orchestration: the phases of a run, settings, build steps, scheduler, layers, cache, skeleton.
        .target(name: "OmnibusKit",
                dependencies: ["Definitions", "Graph", "Fetch", "Linkage", "Packaging", "Publishing", "Signing", "Digest", "Archive", "Spawning",
                               "Globbing", "Scratch"],
                exclude: ["README.md"]),
        // Commands, output and exit codes; no domain logic.
        .target(name: "OmnibusCLI", dependencies: [
            "OmnibusKit", .product(name: "ArgumentParser", package: "swift-argument-parser"),
        ], exclude: ["README.md"]),
        .executableTarget(name: "omnibus", dependencies: ["OmnibusCLI"], exclude: ["README.md"]),

        // Tests' use of the concurrency pool: waiting for child processes without holding one of its
        // few threads, and a thread of its own for a test that measures time.
        .target(name: "TestSupport", path: "Tests/TestSupport"),
        .testTarget(name: "DefinitionsTests", dependencies: ["TestSupport", "Definitions", "Graph", "OmnibusKit", "Fetch", "Digest"],
                    exclude: ["Fixtures"]),
        .testTarget(name: "GraphTests", dependencies: ["Graph", "Definitions", "OmnibusKit"]),
        .testTarget(name: "SystemLibraryTests", dependencies: ["Digest", "Archive"]),
        .testTarget(name: "CLITests", dependencies: ["omnibus", "TestSupport"]),
        .testTarget(name: "LinkageTests", dependencies: ["TestSupport", "Linkage", "Globbing"]),
        .testTarget(name: "FetchTests", dependencies: ["TestSupport", "Fetch", "Digest", "Archive", "Scratch"]),
        .testTarget(name: "BuildTests", dependencies: ["omnibus", "TestSupport", "OmnibusKit", "Definitions", "Fetch", "Packaging", "Archive", "Scratch", "Digest"]),
        // OmnibusKit and Signing for the gpg-backed signer the signing tests sign with.
        .testTarget(name: "PackagingTests", dependencies: ["TestSupport", "Packaging", "Publishing", "Signing", "Archive", "Digest", "Scratch", "OmnibusKit"]),
        // Yams reads the generated CI workflow back as GitHub would, to check its structure.
        .testTarget(name: "SkeletonTests", dependencies: ["TestSupport", "OmnibusKit", .product(name: "Yams", package: "Yams")], exclude: ["Snapshots"]),
    ],
    swiftLanguageModes: [.v6]
)
