// swift-tools-version:6.0
import PackageDescription

// Dependency direction is top to bottom; nothing points back up.
//
//   omnibus (executable) -> OmnibusCLI -> OmnibusKit -> {Fetch, Packaging, Linkage, Graph, Spawning}
//   Graph -> Definitions;  Fetch -> {Digest, Archive, Spawning};  Packaging -> {Digest, Archive, Globbing}
//   Linkage -> Globbing
//   Digest -> COpenSSL;  Archive -> CArchive   (each C module has exactly one Swift wrapper)
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
        // libarchive, seen only through the Archive module.
        .systemLibrary(name: "CArchive", pkgConfig: "libarchive",
                       providers: [.apt(["libarchive-dev"])]),
        // OpenSSL's libcrypto, seen only through the Digest module.
        .systemLibrary(name: "COpenSSL", pkgConfig: "libcrypto",
                       providers: [.apt(["libssl-dev"])]),
        // Message digests (SHA-256/512, MD5) of bytes, streams and files.
        .target(name: "Digest", dependencies: ["COpenSSL"]),
        // Reading and writing archives (tar, ar, cpio, zip) and their compressors.
        .target(name: "Archive", dependencies: ["CArchive"]),
        // Definition files -> validated, typed models; every problem with file:line:column.
        .target(name: "Definitions", dependencies: ["Yams", "Digest", "Archive"]),
        // Dependency DAG: resolution, overrides, deterministic order, cycles.
        .target(name: "Graph", dependencies: ["Definitions"]),
        // Shell-style path patterns (`*`, `?`, `**`, `[a-z]`) shared by Linkage and Packaging.
        .target(name: "Globbing"),
        // ELF reader, loader-faithful library resolution, health-check policy.
        .target(name: "Linkage", dependencies: ["Globbing"]),
        // How every child process is started: own process group, default signals, no inherited descriptors.
        .target(name: "Spawning"),
        // Sources: url/git/path fetchers, source cache, mirrors, safe extraction.
        .target(name: "Fetch", dependencies: ["Definitions", "Digest", "Archive", "Spawning", "Globbing"]),
        // Native .deb, .rpm and .tar.* writers over a format-neutral content list.
        .target(name: "Packaging", dependencies: ["Definitions", "Digest", "Archive", "Globbing"]),
        // Orchestration: build pipeline, scheduler, layers, cache, skeleton generator.
        .target(name: "OmnibusKit",
                dependencies: ["Definitions", "Graph", "Fetch", "Linkage", "Packaging", "Digest", "Archive", "Spawning"]),
        // Commands, output and exit codes; no domain logic.
        .target(name: "OmnibusCLI", dependencies: [
            "OmnibusKit", "Definitions", "Graph", "Fetch", "Linkage", "Packaging", "Digest", "Archive",
            .product(name: "ArgumentParser", package: "swift-argument-parser"),
        ]),
        .executableTarget(name: "omnibus", dependencies: ["OmnibusCLI"]),

        .testTarget(name: "DefinitionsTests", dependencies: ["Definitions", "Graph", "OmnibusKit"],
                    exclude: ["Fixtures"]),
        .testTarget(name: "GraphTests", dependencies: ["Graph", "Definitions"]),
        .testTarget(name: "SystemLibraryTests", dependencies: ["Digest", "Archive"]),
        .testTarget(name: "CLITests", dependencies: ["omnibus"]),
        .testTarget(name: "LinkageTests", dependencies: ["Linkage", "Globbing"]),
        .testTarget(name: "FetchTests", dependencies: ["Fetch", "Digest", "Archive"]),
        .testTarget(name: "BuildTests", dependencies: ["omnibus"]),
        .testTarget(name: "PackagingTests", dependencies: ["Packaging", "Archive", "Digest"]),
        .testTarget(name: "SkeletonTests", dependencies: ["OmnibusKit"], exclude: ["Snapshots"]),
    ],
    swiftLanguageModes: [.v6]
)
