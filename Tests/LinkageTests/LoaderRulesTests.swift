import Foundation
import Testing
@testable import Linkage

/// Each search rule of ld.so(8), exercised with compiled fixtures and judged by `ldd`: the
/// resolver must list the same objects at the same paths.
@Suite struct LoaderRulesTests {
    /// Asserts that our link map of `file` equals ldd's listing and returns it.
    @discardableResult
    static func expectMatchesLdd(_ file: String, sourceLocation: SourceLocation = #_sourceLocation) throws -> LinkMap {
        let map = try LibraryResolver().linkMap(forFileAt: file)
        let expected = try LddListing.run(file)
        let actual = LddListing.pairs(of: map)
        #expect(actual == expected, "ldd only: \(expected.subtracting(actual)); ours only: \(actual.subtracting(expected))",
                sourceLocation: sourceLocation)
        return map
    }

    static func path(of name: String, in map: LinkMap) -> String? {
        map.objects.first { $0.name == name }?.path
    }

    /// main -> libone -> libtwo, with both libraries in `dir`, found only through main's search path.
    static func chain(in scratch: TemporaryDirectory, mainFlags: [String]) throws -> (main: String, dir: String) {
        let dir = try scratch.directory("deps")
        try Compiler.sharedLibrary(dir + "/libtwo.so", soname: "libtwo.so", symbol: "two", in: scratch)
        try Compiler.build("int two(void);\nint one(void) { return two(); }\n", to: dir + "/libone.so",
                           ["-shared", "-fPIC", "-Wl,-soname,libone.so", dir + "/libtwo.so"], in: scratch)
        let main = scratch.path + "/bin/main"
        try Compiler.build("int one(void);\nint main(void) { return one(); }\n", to: main,
                           [dir + "/libone.so", "-Wl,-rpath-link,\(dir)"] + mainFlags.map { $0.replacingOccurrences(of: "DIR", with: dir) },
                           in: scratch)
        return (main, dir)
    }

    @Test func rpathOfTheExecutableServesItsLibrariesDependencies() throws {
        let scratch = try TemporaryDirectory()
        let (main, dir) = try Self.chain(in: scratch, mainFlags: ["-Wl,--disable-new-dtags,-rpath,DIR"])
        let map = try Self.expectMatchesLdd(main)
        #expect(Self.path(of: "libtwo.so", in: map) == dir + "/libtwo.so")
    }

    @Test func runpathIsNotInheritedByDependencies() throws {
        let scratch = try TemporaryDirectory()
        let (main, dir) = try Self.chain(in: scratch, mainFlags: ["-Wl,--enable-new-dtags,-rpath,DIR"])
        let map = try Self.expectMatchesLdd(main)
        #expect(Self.path(of: "libone.so", in: map) == dir + "/libone.so")
        #expect(Self.path(of: "libtwo.so", in: map) == nil, "libtwo.so must be not found")
    }

    @Test func libraryOfAnotherMachineOrClassIsSkipped() throws {
        let scratch = try TemporaryDirectory()
        let wrongMachine = try scratch.directory("aarch64")
        let wrongClass = try scratch.directory("i386")
        let right = try scratch.directory("right")
        try Compiler.sharedLibrary(right + "/libfix.so.1", soname: "libfix.so.1", symbol: "fix", in: scratch)
        // The same library with e_machine changed to AArch64: the loader passes over it.
        var bytes = try [UInt8](Data(contentsOf: URL(fileURLWithPath: right + "/libfix.so.1")))
        bytes[18] = 183
        bytes[19] = 0
        try Data(bytes).write(to: URL(fileURLWithPath: wrongMachine + "/libfix.so.1"))
        // A real 32-bit library of the same name.
        let object = scratch.path + "/fix32.o"
        try Compiler.build("int fix(void) { return 3; }\n", to: object, ["-m32", "-c", "-fPIC"], in: scratch)
        try Tools.succeed(try #require(Tools.find("ld")), ["-m", "elf_i386", "-shared", "-soname", "libfix.so.1", object,
                                                          "-o", wrongClass + "/libfix.so.1"])
        #expect(try ELFFile.read(path: wrongClass + "/libfix.so.1").target.elfClass == .elf32)

        let main = scratch.path + "/main"
        try Compiler.build("int fix(void);\nint main(void) { return fix(); }\n", to: main,
                           [right + "/libfix.so.1", "-Wl,--disable-new-dtags,-rpath,\(wrongMachine):\(wrongClass):\(right)"], in: scratch)
        let map = try Self.expectMatchesLdd(main)
        #expect(Self.path(of: "libfix.so.1", in: map) == right + "/libfix.so.1")
    }

    @Test func libAndPlatformTokensExpandAsTheLoaderExpandsThem() throws {
        let scratch = try TemporaryDirectory()
        let environment = LibraryResolver().environment(for: ELFTarget(elfClass: .elf64, endianness: .little, machine: 62))
        let libDir = try scratch.directory("a/" + environment.lib)
        let platformDir = try scratch.directory("b/" + environment.platform)
        try Compiler.sharedLibrary(libDir + "/liblibtok.so", soname: "liblibtok.so", symbol: "libtok", in: scratch)
        try Compiler.sharedLibrary(platformDir + "/libplat.so", soname: "libplat.so", symbol: "plat", in: scratch)
        let main = scratch.path + "/main"
        try Compiler.build("int libtok(void); int plat(void);\nint main(void) { return libtok() + plat(); }\n", to: main,
                           [libDir + "/liblibtok.so", platformDir + "/libplat.so",
                            "-Wl,-rpath,\(scratch.path)/a/$LIB:\(scratch.path)/b/${PLATFORM}"], in: scratch)
        let map = try Self.expectMatchesLdd(main)
        #expect(Self.path(of: "liblibtok.so", in: map) == libDir + "/liblibtok.so")
        #expect(Self.path(of: "libplat.so", in: map) == platformDir + "/libplat.so")
    }

    @Test func nodeflibKeepsDefaultDirectoriesAndTheirCacheEntriesOut() throws {
        let scratch = try TemporaryDirectory()
        let main = scratch.path + "/main"
        try Compiler.build(HealthCheckFixtureTests.zlibProgram, to: main, ["-lz", "-Wl,-z,nodefaultlib"], in: scratch)
        #expect(try ELFFile.read(path: main).flags1 & ELFFile.nodeflib != 0)
        let map = try Self.expectMatchesLdd(main)
        #expect(map.objects.contains { $0.name == "libz.so.1" && $0.path == nil })
    }

    @Test func oneFileUnderTwoNamesIsLoadedOnce() throws {
        let scratch = try TemporaryDirectory()
        let dir = try scratch.directory("lib")
        try Compiler.sharedLibrary(dir + "/libreal.so", soname: "libreal.so", symbol: "real", in: scratch)
        try Compiler.sharedLibrary(scratch.path + "/stub/libalias.so", soname: "libalias.so", symbol: "alias", in: scratch)
        let main = scratch.path + "/main"
        try Compiler.build("int real(void); int alias(void);\nint main(void) { return real() + alias(); }\n", to: main,
                           [dir + "/libreal.so", scratch.path + "/stub/libalias.so", "-Wl,-rpath,\(dir)"], in: scratch)
        // At run time libalias.so is the same file as libreal.so.
        try FileManager.default.createSymbolicLink(atPath: dir + "/libalias.so", withDestinationPath: "libreal.so")
        let map = try Self.expectMatchesLdd(main)
        #expect(map.objects.filter { $0.path == dir + "/libreal.so" }.count == 1)
        #expect(!map.objects.contains { $0.name == "libalias.so" })
    }

    @Test func neededNameWithASlashIsUsedAsAPath() throws {
        let scratch = try TemporaryDirectory()
        let library = scratch.path + "/lib/libnoname.so"
        // No soname: the linker records the path it was given.
        try Compiler.build("int noname(void) { return 1; }\n", to: library, ["-shared", "-fPIC"], in: scratch)
        let main = scratch.path + "/main"
        try Compiler.build("int noname(void);\nint main(void) { return noname(); }\n", to: main, [library], in: scratch)
        let map = try Self.expectMatchesLdd(main)
        #expect(map.file.needed.contains(library))
        #expect(Self.path(of: library, in: map) == library)
    }

    /// Garbage after the ELF magic is skipped like a library of another class (byte 4 is no
    /// valid class); a proper ELF64 header with a bad `e_version` stops the loader.
    @Test func candidatesWithBadHeadersAreSkippedOrRefusedAsTheLoaderDoes() throws {
        let scratch = try TemporaryDirectory()
        let good = try scratch.directory("good")
        let bad = try scratch.directory("bad")
        try Compiler.sharedLibrary(good + "/libfix.so.1", soname: "libfix.so.1", symbol: "fix", in: scratch)
        let main = scratch.path + "/main"
        try Compiler.build("int fix(void);\nint main(void) { return fix(); }\n", to: main,
                           [good + "/libfix.so.1", "-Wl,-rpath,\(bad):\(good)"], in: scratch)

        try Data(ELFParser.magic + [UInt8](repeating: 0x41, count: 100)).write(to: URL(fileURLWithPath: bad + "/libfix.so.1"))
        let skipped = try Self.expectMatchesLdd(main)
        #expect(Self.path(of: "libfix.so.1", in: skipped) == good + "/libfix.so.1")

        try Data(ELFParser.magic + [2, 1, 1] + [UInt8](repeating: 0, count: 100)).write(to: URL(fileURLWithPath: bad + "/libfix.so.1"))
        let refused = try #require(try LibraryResolver().linkMap(forFileAt: main).objects.first { $0.name == "libfix.so.1" })
        #expect(refused.path == bad + "/libfix.so.1")
        let reason = try #require(refused.loadError)
        let ldd = try Tools.run(try #require(Tools.find("ldd")), [main])
        #expect((ldd.output + ldd.errorOutput).contains("\(bad)/libfix.so.1: ELF file version does not match current one"))
        #expect(reason == "\(bad)/libfix.so.1: ELF file version does not match current one")
    }
}
