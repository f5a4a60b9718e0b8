import Foundation
import Testing
@testable import Linkage

/// `.gnu.version_r` read from binaries the real compilers make, judged by `readelf -V`,
/// rpm's `elfdeps` and `dpkg-shlibdeps` over the same files.
@Suite struct VersionNeedsTests {
    /// `getrandom` is GLIBC_2.25; a program linked against glibc 2.34 or later also needs
    /// `__libc_start_main@GLIBC_2.34`.
    static let cProgram = """
        #include <stdio.h>
        #include <sys/random.h>
        int main(void) { char b[4]; return getrandom(b, sizeof b, 0) == 4 ? puts("ok") < 0 : 1; }

        """
    static let cxxProgram = """
        #include <iostream>
        #include <string>
        #include <stdexcept>
        int main(int argc, char **argv) {
            std::string s(argv[0]);
            try { if (argc > 5) throw std::runtime_error(s); } catch (const std::exception &e) { std::cerr << e.what(); }
            std::cout << s.size() << std::endl;
            return 0;
        }

        """

    /// `readelf -V`'s version needs: file -> version names.
    static func readelfNeeds(_ path: String) throws -> [String: Set<String>] {
        let output = try Tools.succeed(try #require(Tools.find("readelf")), ["-V", "-W", path])
        guard let start = output.range(of: "Version needs section") else { return [:] }
        var result: [String: Set<String>] = [:]
        var current: String?
        for line in output[start.lowerBound...].split(separator: "\n").dropFirst() {
            if let file = line.range(of: "File: ") {
                current = String(line[file.upperBound...].split(separator: " ")[0])
                result[current!, default: []] = []
            } else if let name = line.range(of: "Name: "), let current {
                result[current, default: []].insert(String(line[name.upperBound...].split(separator: " ")[0]))
            } else if !line.hasPrefix(" ") {
                break
            }
        }
        return result
    }

    static func compileC(_ scratch: TemporaryDirectory, name: String = "prog") throws -> String {
        let path = scratch.path + "/install/bin/" + name
        try Compiler.build(cProgram, to: path, in: scratch)
        return path
    }

    static func compileCXX(_ scratch: TemporaryDirectory) throws -> String {
        let compiler = try #require(Tools.find("c++"), "no C++ compiler")
        let source = try scratch.write("src/prog.cc", cxxProgram)
        let path = scratch.path + "/install/bin/cxxprog"
        try FileManager.default.createDirectory(atPath: scratch.path + "/install/bin", withIntermediateDirectories: true)
        try Tools.succeed(compiler, [source, "-o", path])
        return path
    }

    static func needs(_ paths: [String], root: String) throws -> BaseSystemNeeds {
        let files = try paths.map { path in
            (path: String(path.dropFirst(root.count + 1)), needs: try #require(try VersionNeeds.read(path: path)), executable: true)
        }
        return BaseSystemNeeds(files: files)
    }

    static func glibcNumbers(_ version: String) -> [Int] { version.split(separator: ".").compactMap { Int($0) } }

    @Test func versionNeedsMatchReadelfForCAndCXXPrograms() throws {
        let scratch = try TemporaryDirectory()
        for path in [try Self.compileC(scratch), try Self.compileCXX(scratch)] {
            let read = try #require(try VersionNeeds.read(path: path))
            var mine: [String: Set<String>] = [:]
            for need in read.needs { mine[need.file, default: []].formUnion(need.versions) }
            #expect(mine == (try Self.readelfNeeds(path)), "\(path)")
            #expect(read.needed.contains("libc.so.6"))
        }
    }

    @Test func glibcFloorIsTheHighestGLIBCVersionObjdumpShows() throws {
        let scratch = try TemporaryDirectory()
        let path = try Self.compileC(scratch)
        let needs = try Self.needs([path], root: scratch.path + "/install")
        let objdump = try Tools.succeed(try #require(Tools.find("objdump")), ["-T", path])
        let versions = objdump.split(whereSeparator: { $0 == " " || $0 == "\n" || $0 == "(" || $0 == ")" })
            .filter { $0.hasPrefix("GLIBC_2.") }.map { String($0.dropFirst(6)) }
        let highest = try #require(versions.max { Self.glibcNumbers($0).lexicographicallyPrecedes(Self.glibcNumbers($1)) })
        let floor = try #require(needs.floors.first { $0.library == "glibc" })
        #expect(floor.version == highest)
        #expect(Self.glibcNumbers(floor.version).lexicographicallyPrecedes([2, 25]) == false, "getrandom is GLIBC_2.25")
        #expect(floor.neededBy == "bin/prog")
        #expect(needs.summary == "needs glibc >= \(highest)")
        #expect(needs.debianDepends == ["libc6 (>= \(highest))"])
    }

    @Test func cxxProgramSetsALibstdcxxFloorFromItsHighestVersion() throws {
        let scratch = try TemporaryDirectory()
        let path = try Self.compileCXX(scratch)
        let needs = try Self.needs([path], root: scratch.path + "/install")
        let versions = try Self.readelfNeeds(path)["libstdc++.so.6"] ?? []
        let glibcxx = versions.filter { $0.hasPrefix("GLIBCXX_3.4.") }.compactMap { Int($0.dropFirst(12)) }.max()
        let floor = try #require(needs.floors.first { $0.library == "libstdc++" })
        if let glibcxx, let gcc = BaseLibraries.glibcxx[glibcxx] {
            // CXXABI may set a higher floor than GLIBCXX, never a lower one.
            #expect(Self.glibcNumbers(floor.version).lexicographicallyPrecedes(Self.glibcNumbers(gcc)) == false)
        }
        #expect(versions.contains(floor.versionName))
        #expect(needs.summary?.contains("libstdc++ >= GCC \(floor.version)") == true)
        #expect(needs.debianDepends.contains("libstdc++6 (>= \(floor.version))"))
    }

    @Test func rpmRequiresAreExactlyWhatElfdepsDerives() throws {
        let elfdeps = "/usr/lib/rpm/elfdeps"
        guard FileManager.default.isExecutableFile(atPath: elfdeps) else {
            Issue.record("rpm's elfdeps is not installed (\(elfdeps)); install rpm")
            return
        }
        let scratch = try TemporaryDirectory()
        let paths = [try Self.compileC(scratch), try Self.compileCXX(scratch)]
        for path in paths {
            let judged = try Tools.run(elfdeps, ["-R"], input: path + "\n")
            #expect(judged.status == 0, "\(judged.errorOutput)")
            let expected = Set(judged.output.split(separator: "\n").map(String.init))
            #expect(Set(try Self.needs([path], root: scratch.path + "/install").rpmRequires) == expected, "\(path)")
        }
        // Together: the union, each once.
        let both = try Self.needs(paths, root: scratch.path + "/install").rpmRequires
        #expect(both == Array(Set(both)).sorted())
    }

    @Test func debianDependsAgreeWithDpkgShlibdeps() throws {
        guard let shlibdeps = Tools.find("dpkg-shlibdeps") else {
            Issue.record("dpkg-shlibdeps is not installed; install dpkg-dev")
            return
        }
        let scratch = try TemporaryDirectory()
        let paths = [try Self.compileC(scratch), try Self.compileCXX(scratch)]
        // dpkg-shlibdeps runs in a source tree: it reads debian/control for the package.
        try scratch.write("debian/control", "Source: probe\n\nPackage: probe\nArchitecture: any\n")
        let output = try Tools.succeed(shlibdeps, ["-O"] + paths, directory: scratch.path)
        let line = try #require(output.split(separator: "\n").first { $0.hasPrefix("shlibs:Depends=") })
        var theirs: [String: String] = [:]
        for relation in line.dropFirst("shlibs:Depends=".count).split(separator: ",") {
            let parts = relation.trimmingCharacters(in: .whitespaces).split(separator: " ", maxSplits: 1)
            theirs[String(parts[0])] = parts.count > 1 ? String(parts[1]) : ""
        }
        var mine: [String: String] = [:]
        for relation in try Self.needs(paths, root: scratch.path + "/install").debianDepends {
            let parts = relation.split(separator: " ", maxSplits: 1)
            mine[String(parts[0])] = parts.count > 1 ? String(parts[1]) : ""
        }
        #expect(Set(mine.keys) == Set(theirs.keys), "ours \(mine), dpkg-shlibdeps \(theirs)")
        // glibc and libgcc_s: Debian's symbol minimums are the version node's release.
        #expect(mine["libc6"] == theirs["libc6"])
        #expect(mine["libgcc-s1"] == theirs["libgcc-s1"])
        // libstdc++: dpkg works per symbol, this tool per version node; the GCC major agrees.
        func major(_ text: String?) -> String? { text?.drop { !$0.isNumber }.split(separator: ".").first.map { String($0.prefix { $0.isNumber }) } }
        #expect(major(mine["libstdc++6"]) == major(theirs["libstdc++6"]), "ours \(mine), dpkg-shlibdeps \(theirs)")
    }

    @Test func librariesInsideTheInstallDirAreNotBaseDependencies() throws {
        let scratch = try TemporaryDirectory()
        let lib = scratch.path + "/install/lib/libown.so.1"
        try FileManager.default.createDirectory(atPath: scratch.path + "/install/lib", withIntermediateDirectories: true)
        try Compiler.build("int own(void) { return 1; }\n", to: lib,
                           ["-shared", "-fPIC", "-Wl,-soname,libown.so.1", "-Wl,--version-script=" + (try scratch.write("own.map", "OWN_1.0 { global: own; local: *; };\n"))], in: scratch)
        let program = scratch.path + "/install/bin/user"
        try Compiler.build("int own(void);\nint main(void) { return own(); }\n", to: program,
                           [lib], in: scratch)
        #expect(try Self.readelfNeeds(program)["libown.so.1"] == ["OWN_1.0"])
        let needs = try Self.needs([program, lib], root: scratch.path + "/install")
        #expect(!needs.rpmRequires.contains { $0.hasPrefix("libown") })
        #expect(needs.rpmRequires.contains("libc.so.6()(64bit)"))
        #expect(needs.unmappedLibraries.isEmpty)
        // Without the library in the package it is an outside need, with no Debian package known.
        let alone = try Self.needs([program], root: scratch.path + "/install")
        #expect(alone.rpmRequires.contains("libown.so.1(OWN_1.0)(64bit)"))
        #expect(alone.unmappedLibraries == ["libown.so.1"])
    }

    @Test func healthReportStatesTheFloor() throws {
        let scratch = try TemporaryDirectory()
        _ = try Self.compileC(scratch)
        let report = try HealthChecker().check(installDir: scratch.path + "/install")
        #expect(report.passed)
        let floor = try #require(report.baseSystem.floors.first)
        #expect(report.render().contains("Where it runs: needs glibc >= \(floor.version)."))
        #expect(report.json().contains("\"base_system\""))
    }
}
