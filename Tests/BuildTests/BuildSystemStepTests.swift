import Definitions
import Foundation
import OmnibusKit
import Testing

/// The `cmake`, `meson` and `autoreconf` steps on tiny real projects (a shared library and a
/// program linking it), built by `omnibus build` and judged by readelf, ldd, the health check
/// and the packages' bytes from two work dirs.
@Suite(.serialized) struct BuildSystemStepTests {
    static let library = """
        #include <stdio.h>
        #include "greet.h"
        void greet(const char *who) { printf("hello, %s from %s\\n", who, __FILE__); }

        """
    static let program = """
        #include "greet.h"
        int main(void) { greet("omnibus"); return 0; }

        """

    /// `src/lib` holding the library, the program and the build files `files` gives.
    static func fixture(_ repo: TestRepository, files: [String: String]) throws {
        try repo.write("src/lib/greet.c", library)
        try repo.write("src/lib/greet.h", "void greet(const char *who);\n")
        try repo.write("src/lib/main.c", program)
        for (name, text) in files { try repo.write("src/lib/" + name, text) }
    }

    static let cmakeLists = """
        cmake_minimum_required(VERSION 3.13)
        project(greet C)
        add_library(greet greet.c)
        set_target_properties(greet PROPERTIES VERSION 1.0.0 SOVERSION 1)
        add_executable(hello main.c)
        target_link_libraries(hello greet)
        install(TARGETS greet hello)
        install(FILES greet.h DESTINATION include)

        """
    static let mesonBuild = """
        project('greet', 'c', version: '1.0.0')
        lib = shared_library('greet', 'greet.c', version: '1.0.0', install: true)
        executable('hello', 'main.c', link_with: lib, install: true)
        install_headers('greet.h')

        """

    static func repository(_ label: String, step: String, files: [String: String], installDir: String? = nil,
                           extraSteps: [String] = [], projectExtra: String = "") throws -> TestRepository {
        let repo = try TestRepository(label)
        try fixture(repo, files: files)
        try repo.localSoftware("lib", steps: [step] + extraSteps)
        try repo.project(dependencies: ["lib"], extra: projectExtra, installDir: installDir)
        return repo
    }

    static func tool(_ name: String) -> Bool {
        ["/usr/bin/", "/bin/"].contains { FileManager.default.isExecutableFile(atPath: $0 + name) }
    }

    static func packages(of repo: TestRepository) throws -> [String] {
        try FileManager.default.contentsOfDirectory(atPath: repo.root + "/pkg")
            .filter { $0.hasSuffix(".deb") || $0.hasSuffix(".rpm") || $0.hasSuffix(".tar.gz") }.sorted()
    }

    /// Builds `second` (another work dir, the same install dir) and expects the very packages
    /// `first` made, byte for byte.
    static func expectSamePackages(building second: TestRepository, as first: TestRepository, _ expected: [String]) async throws {
        let again = try await second.omnibus(["build", "app"])
        #expect(again.status == 0, "\(again.stdout)\n\(again.stderr)")
        #expect(try packages(of: second) == expected)
        for package in expected {
            let a = try Data(contentsOf: URL(fileURLWithPath: first.root + "/pkg/" + package))
            let b = try Data(contentsOf: URL(fileURLWithPath: second.root + "/pkg/" + package))
            #expect(a == b, "\(package) differs between the two work dirs")
        }
    }

    /// Builds, checks what a packager checks, builds again from another work dir into the same
    /// install dir and compares every package byte for byte.
    /// - Parameter compiledAs: the source path the build system hands the compiler, as `__FILE__`
    ///   shows it once the build dir is mapped away.
    static func buildTwiceAndCheck(_ label: String, step: String, files: [String: String], compiledAs: String) async throws {
        let first = try Self.repository(label + "-a", step: step, files: files)
        defer { try? FileManager.default.removeItem(atPath: first.installDir) }
        let build = try await first.omnibus(["build", "app"])
        #expect(build.status == 0, "\(build.stdout)\n\(build.stderr)")
        let embedded = first.installDir + "/embedded"
        for file in ["lib/libgreet.so.1.0.0", "lib/libgreet.so.1", "lib/libgreet.so", "bin/hello", "include/greet.h"] {
            #expect(FileManager.default.fileExists(atPath: embedded + "/" + file), "\(file) not installed")
        }
        let dynamic = try await CommandResult.run(["readelf", "-d", embedded + "/bin/hello"]).stdout
        #expect(dynamic.contains("Library runpath: [\(embedded)/lib]"), "\(dynamic)")
        let ldd = try await CommandResult.run(["ldd", embedded + "/bin/hello"]).stdout
        #expect(ldd.contains("libgreet.so.1 => \(embedded)/lib/libgreet.so.1"), "\(ldd)")
        let run = try await CommandResult.run([embedded + "/bin/hello"])
        #expect(run.stdout == "hello, omnibus from \(compiledAs)\n", "\(run.stdout)\(run.stderr)")
        let check = try await first.omnibus(["health-check", "app"])
        #expect(check.status == 0, "\(check.stdout)\n\(check.stderr)")

        let packages = try Self.packages(of: first)
        #expect(packages.count == 3, "\(packages)")
        let deb = try #require(packages.first { $0.hasSuffix(".deb") })
        let unpacked = first.root + "/../unpacked"
        #expect(try await CommandResult.run(["dpkg-deb", "-x", first.root + "/pkg/" + deb, unpacked]).status == 0)
        for needle in [first.workDir, first.root] {
            let grep = try await CommandResult.run(["grep", "-rlaF", needle, unpacked])
            #expect(grep.stdout.isEmpty, "packaged files naming \(needle): \(grep.stdout)")
        }

        try FileManager.default.removeItem(atPath: first.installDir)
        let second = try repository(label + "-bb", step: step, files: files, installDir: first.installDir)
        try await Self.expectSamePackages(building: second, as: first, packages)
    }

    @Test func cmakeLibraryInstallsIntoEmbeddedReproducibly() async throws {
        guard Self.tool("cmake") else { print("skipped: cmake is not installed (apt-get install cmake)"); return }
        try await Self.buildTwiceAndCheck("cmake", step: #"cmake: ["-DBUILD_SHARED_LIBS=ON"]"#, files: ["CMakeLists.txt": Self.cmakeLists],
                                       compiledAs: "./greet.c")
    }

    @Test func mesonLibraryInstallsIntoEmbeddedReproducibly() async throws {
        guard Self.tool("meson"), Self.tool("ninja") else { print("skipped: meson or ninja is not installed (apt-get install meson ninja-build)"); return }
        try await Self.buildTwiceAndCheck("meson", step: "meson: []", files: ["meson.build": Self.mesonBuild],
                                       compiledAs: "../greet.c")
    }

    /// A source with only configure.ac and Makefile.am, as a tag tarball has.
    @Test func autoreconfMakesConfigureFromConfigureAc() async throws {
        guard Self.tool("autoreconf"), Self.tool("automake"), Self.tool("libtoolize") else {
            print("skipped: autoreconf needs autoconf, automake and libtool (apt-get install autoconf automake libtool)")
            return
        }
        let repo = try Self.repository("autoreconf", step: "autoreconf: []", files: [
            "configure.ac": """
                AC_INIT([greet], [1.0])
                AM_INIT_AUTOMAKE([foreign])
                LT_INIT([disable-static])
                AC_PROG_CC
                AC_CONFIG_FILES([Makefile])
                AC_OUTPUT

                """,
            "Makefile.am": """
                lib_LTLIBRARIES = libgreet.la
                libgreet_la_SOURCES = greet.c
                include_HEADERS = greet.h
                bin_PROGRAMS = hello
                hello_SOURCES = main.c
                hello_LDADD = libgreet.la

                """,
        ], extraSteps: ["configure: []", "make: []", "make: [install]", #"delete: "{{embedded}}/lib/libgreet.la""#])
        defer { try? FileManager.default.removeItem(atPath: repo.installDir) }
        #expect(!FileManager.default.fileExists(atPath: repo.root + "/src/lib/configure"))
        let build = try await repo.omnibus(["build", "app"])
        #expect(build.status == 0, "\(build.stdout)\n\(build.stderr)")
        let run = try await CommandResult.run([repo.installDir + "/embedded/bin/hello"])
        #expect(run.stdout == "hello, omnibus from greet.c\n", "\(run.stdout)\(run.stderr)")
        let log = try String(contentsOfFile: repo.workDir + "/app/logs/lib.log", encoding: .utf8)
        #expect(log.contains("$ autoreconf --force --install"), "\(log)")
    }

    /// The packages a step implies are build dependencies like declared ones: in a clean root's
    /// package list, and checked on the host before anything builds.
    @Test func stepsImplyTheirHostPackages() async throws {
        let repo = try TestRepository("implied")
        try repo.localSoftware("a", steps: ["cmake: { options: [], generator: ninja }", "autoreconf: []"])
        try repo.localSoftware("b", extra: ["build_dependencies: { debian: [pkgconf] }"], steps: ["meson: []"])
        try repo.project(dependencies: ["a", "b"])
        let workspace = try Workspace(root: repo.root, environment: ["OMNIBUS_LIBRARY": repo.root + "/none"])
        let graph = try workspace.resolve("app")
        #expect(CleanRootSpec.buildDependencies(of: graph, family: "debian")
                == ["autoconf", "automake", "cmake", "libtool", "meson", "ninja-build", "pkgconf"])
        #expect(CleanRootSpec.buildDependencies(of: graph, family: "rhel")
                == ["autoconf", "automake", "cmake", "libtool", "meson", "ninja-build"])
    }

    /// A software whose steps cannot find cmake on their PATH stops the build before it starts,
    /// naming the command, the software and the apt-get line.
    @Test func cmakeMissingFromTheBuildPathFailsEarly() async throws {
        let repo = try TestRepository("nocmake")
        try repo.localSoftware("lib", extra: [#"env: { PATH: "/nonexistent/bin" }"#], steps: ["cmake: []"])
        try repo.project(dependencies: ["lib"])
        let result = try await repo.omnibus(["build", "app"])
        #expect(result.status == 2, "\(result.stdout)\n\(result.stderr)")
        #expect(result.stderr.contains("not on the build PATH: cmake (lib)"), "\(result.stderr)")
        #expect(result.stderr.contains("apt-get install cmake"), "\(result.stderr)")
        #expect(!FileManager.default.fileExists(atPath: repo.workDir + "/app/logs/lib.log"), "nothing may build before the check")
    }

    /// `strip: []` after a build with debug info: the installed files lose it, a debug file per
    /// build ID keeps it and is linked back by name and CRC, the packages leave the debug files
    /// out and the debug tarball carries them; both are the same bytes from another work dir.
    @Test func stripKeepsDebugFilesInTheirOwnTarballReproducibly() async throws {
        guard Self.tool("cmake") else { print("skipped: cmake is not installed (apt-get install cmake)"); return }
        let step = #"cmake: ["-DBUILD_SHARED_LIBS=ON", "-DCMAKE_BUILD_TYPE=RelWithDebInfo"]"#
        let files = ["CMakeLists.txt": Self.cmakeLists]
        let first = try Self.repository("strip-a", step: step, files: files, extraSteps: ["strip: []"])
        defer { try? FileManager.default.removeItem(atPath: first.installDir) }
        let build = try await first.omnibus(["build", "app"])
        #expect(build.status == 0, "\(build.stdout)\n\(build.stderr)")
        #expect(!(build.stdout + build.stderr).contains("lib/debug"), "the health check looked at debug files: \(build.stdout)")
        let embedded = first.installDir + "/embedded"
        var debugFiles: [String] = []
        for file in ["bin/hello", "lib/libgreet.so.1.0.0"] {
            let path = embedded + "/" + file
            let sections = try await CommandResult.run(["readelf", "-S", "-W", path]).stdout
            #expect(!sections.contains(".debug_info"), "\(file) still has debug info")
            #expect(sections.contains(".gnu_debuglink"), "\(file) has no debug link")
            let notes = try await CommandResult.run(["readelf", "-n", path]).stdout
            let buildID = try #require(notes.split(separator: "\n").first { $0.contains("Build ID:") }?
                .split(separator: " ").last.map(String.init))
            let name = String(buildID.dropFirst(2)) + ".debug"
            let debugFile = embedded + "/lib/debug/.build-id/" + buildID.prefix(2) + "/" + name
            debugFiles.append("./usr/lib/debug/.build-id/" + buildID.prefix(2) + "/" + name)
            let debugSections = try await CommandResult.run(["readelf", "-S", "-W", debugFile]).stdout
            #expect(debugSections.contains(".debug_info"), "\(debugFile) lacks the debug info")
            let link = first.root + "/../debuglink"
            #expect(try await CommandResult.run(["objcopy", "--dump-section", ".gnu_debuglink=" + link, path]).status == 0)
            let bytes = [UInt8](try Data(contentsOf: URL(fileURLWithPath: link)))
            let end = try #require(bytes.firstIndex(of: 0))
            #expect(String(decoding: bytes[..<end], as: UTF8.self) == name)
            let crcAt = (end + 4) / 4 * 4
            var recorded: UInt32 = 0
            for (index, byte) in bytes[crcAt..<crcAt + 4].enumerated() { recorded |= UInt32(byte) << UInt32(8 * index) }
            #expect(recorded == Self.crc32([UInt8](try Data(contentsOf: URL(fileURLWithPath: debugFile)))), "\(file): the debug link's CRC does not match")
        }
        let run = try await CommandResult.run([embedded + "/bin/hello"])
        #expect(run.stdout == "hello, omnibus from ./greet.c\n")

        let packages = try Self.packages(of: first)
        let deb = try #require(packages.first { $0.hasSuffix(".deb") })
        let listing = try await CommandResult.run(["dpkg-deb", "-c", first.root + "/pkg/" + deb]).stdout
        #expect(!listing.contains("lib/debug"), "\(listing)")
        #expect(packages.contains("app-1.0.0-1.debug.tar.gz"), "\(packages)")
        let members = try await CommandResult.run(["tar", "-tzf", first.root + "/pkg/app-1.0.0-1.debug.tar.gz"]).stdout
        for file in debugFiles { #expect(members.contains(file + "\n"), "\(file) not in \(members)") }

        try FileManager.default.removeItem(atPath: first.installDir)
        let second = try Self.repository("strip-bb", step: step, files: files, installDir: first.installDir, extraSteps: ["strip: []"])
        try await Self.expectSamePackages(building: second, as: first, packages)
    }

    /// `package.debug_files: keep` ships the debug files in the packages, where the base-system
    /// scan leaves them alone; no debug tarball is written.
    @Test func keptDebugFilesShipInThePackages() async throws {
        guard Self.tool("cmake") else { print("skipped: cmake is not installed (apt-get install cmake)"); return }
        let repo = try Self.repository("strip-keep", step: #"cmake: ["-DBUILD_SHARED_LIBS=ON", "-DCMAKE_BUILD_TYPE=RelWithDebInfo"]"#,
                                       files: ["CMakeLists.txt": Self.cmakeLists], extraSteps: ["strip: [\"{{embedded}}/bin\"]"],
                                       projectExtra: "package: { debug_files: keep, formats: [deb] }")
        defer { try? FileManager.default.removeItem(atPath: repo.installDir) }
        let build = try await repo.omnibus(["build", "app"])
        #expect(build.status == 0, "\(build.stdout)\n\(build.stderr)")
        let packages = try Self.packages(of: repo)
        #expect(packages.count == 1, "\(packages)")
        let deb = try #require(packages.first)
        let listing = try await CommandResult.run(["dpkg-deb", "-c", repo.root + "/pkg/" + deb]).stdout
        #expect(listing.contains("/embedded/lib/debug/.build-id/"), "\(listing)")
        // Only the paths given are stripped: the library keeps its debug info.
        let library = try await CommandResult.run(["readelf", "-S", "-W", repo.installDir + "/embedded/lib/libgreet.so.1.0.0"]).stdout
        #expect(library.contains(".debug_info"))
        let program = try await CommandResult.run(["readelf", "-S", "-W", repo.installDir + "/embedded/bin/hello"]).stdout
        #expect(!program.contains(".debug_info"))
    }

    /// The CRC-32 (IEEE, reflected) `.gnu_debuglink` records, computed here rather than trusted.
    static func crc32(_ bytes: [UInt8]) -> UInt32 {
        var crc: UInt32 = 0xffff_ffff
        for byte in bytes {
            crc ^= UInt32(byte)
            for _ in 0..<8 { crc = crc & 1 == 1 ? (crc >> 1) ^ 0xedb8_8320 : crc >> 1 }
        }
        return ~crc
    }

    @Test func unknownGeneratorIsReportedWhereWritten() async throws {
        let repo = try TestRepository("generator")
        try repo.localSoftware("lib", steps: ["cmake: { generator: ninj }"])
        try repo.project(dependencies: ["lib"])
        let result = try await repo.omnibus(["validate"])
        #expect(result.status == 2)
        #expect((result.stdout + result.stderr).contains("Software/lib.yml:9:25: 'cmake.generator' must be one of make, ninja, found 'ninj' (did you mean 'ninja'?)"),
                "\(result.stdout)\(result.stderr)")
    }
}
