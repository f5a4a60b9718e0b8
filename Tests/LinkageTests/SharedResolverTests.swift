import Foundation
import Testing
@testable import Linkage

/// One resolver serves every file of a check and keeps what it resolved for a library (its
/// needs, per inherited RPATH context) for the next file that loads it. These programs load the
/// same libraries in contexts where the loader finds different things; each file's link map
/// must still be ldd's, whichever file the resolver saw first.
@Suite struct SharedResolverTests {
    /// An install dir where `libone.so` (no RPATH, no RUNPATH) needs `libtwo.so`, which only an
    /// RPATH inherited from the program finds:
    /// - `bin/rpath`: RPATH `$ORIGIN/../lib`, so libtwo is found through the program's RPATH;
    /// - `bin/runpath`: RUNPATH `$ORIGIN/../lib`, not inherited, so libtwo is not found;
    /// - `bin/alias`: RPATH through `lib-link`, a symlink to `lib`: the same files by other paths;
    /// - `bin/missing`: needs `libgone.so`, deleted after linking;
    /// - `lib/libthree.so`: its own RPATH `$ORIGIN/../private` finds `libfour.so`, which needs
    ///   `libtwo.so`, found through libthree's RPATH chain up to `bin/both`'s.
    static func tree(in scratch: TemporaryDirectory) throws -> [String] {
        let lib = try scratch.directory("lib")
        let privateDir = try scratch.directory("private")
        try FileManager.default.createSymbolicLink(atPath: scratch.path + "/lib-link", withDestinationPath: "lib")
        try Compiler.sharedLibrary(lib + "/libtwo.so", soname: "libtwo.so", symbol: "two", in: scratch)
        try Compiler.build("int two(void);\nint one(void) { return two(); }\n", to: lib + "/libone.so",
                           ["-shared", "-fPIC", "-Wl,-soname,libone.so", lib + "/libtwo.so"], in: scratch)
        try Compiler.build("int two(void);\nint four(void) { return two(); }\n", to: privateDir + "/libfour.so",
                           ["-shared", "-fPIC", "-Wl,-soname,libfour.so", lib + "/libtwo.so"], in: scratch)
        try Compiler.build("int four(void);\nint three(void) { return four(); }\n", to: lib + "/libthree.so",
                           ["-shared", "-fPIC", "-Wl,-soname,libthree.so", privateDir + "/libfour.so",
                            "-Wl,--disable-new-dtags,-rpath,$ORIGIN/../private"], in: scratch)
        try Compiler.sharedLibrary(lib + "/libgone.so", soname: "libgone.so", symbol: "gone", in: scratch)

        let one = "int one(void);\nint main(void) { return one(); }\n"
        let link = [lib + "/libone.so", "-Wl,-rpath-link,\(lib)"]
        let bin = scratch.path + "/bin"
        try Compiler.build(one, to: bin + "/rpath", link + ["-Wl,--disable-new-dtags,-rpath,$ORIGIN/../lib"], in: scratch)
        try Compiler.build(one, to: bin + "/runpath", link + ["-Wl,--enable-new-dtags,-rpath,$ORIGIN/../lib"], in: scratch)
        try Compiler.build(one, to: bin + "/alias", link + ["-Wl,--disable-new-dtags,-rpath,$ORIGIN/../lib-link"], in: scratch)
        try Compiler.build("int one(void); int gone(void);\nint main(void) { return one() + gone(); }\n", to: bin + "/missing",
                           link + [lib + "/libgone.so", "-Wl,--disable-new-dtags,-rpath,$ORIGIN/../lib"], in: scratch)
        try Compiler.build("int one(void); int three(void);\nint main(void) { return one() + three(); }\n", to: bin + "/both",
                           link + [lib + "/libthree.so", "-Wl,-rpath-link,\(privateDir)",
                                   "-Wl,--disable-new-dtags,-rpath,$ORIGIN/../lib"], in: scratch)
        try FileManager.default.removeItem(atPath: lib + "/libgone.so")
        return ["rpath", "runpath", "alias", "missing", "both"].map { bin + "/" + $0 }
            + [lib + "/libone.so", lib + "/libtwo.so", lib + "/libthree.so", privateDir + "/libfour.so"]
    }

    @Test(arguments: [false, true])
    func everyFileMatchesLddWhateverTheOrder(reversed: Bool) throws {
        let scratch = try TemporaryDirectory()
        let files = try Self.tree(in: scratch)
        let expected = try Dictionary(uniqueKeysWithValues: files.map { ($0, try LddListing.run($0)) })
        // The fixture is only worth something if contexts really differ.
        #expect(expected[files[0]]?.contains(.init(name: "libtwo.so", path: scratch.path + "/bin/../lib/libtwo.so")) == true)
        #expect(expected[files[1]]?.contains(.init(name: "libtwo.so", path: "not found")) == true)
        #expect(expected[files[3]]?.contains(.init(name: "libgone.so", path: "not found")) == true)

        let resolver = LibraryResolver()
        for file in reversed ? files.reversed() : files {
            let actual = LddListing.pairs(of: try resolver.linkMap(forFileAt: file))
            let want = try #require(expected[file])
            #expect(actual == want, "\(file): ldd only \(want.subtracting(actual)); ours only \(actual.subtracting(want))")
        }
    }

    /// Link maps from a resolver that already walked every other file equal those of a fresh
    /// resolver, and the object that first needed a library is the one ld.so's breadth-first
    /// load order gives, also when the library's needs were resolved for an earlier file.
    @Test func linkMapsEqualThoseOfAFreshResolver() throws {
        let scratch = try TemporaryDirectory()
        let files = try Self.tree(in: scratch)
        let shared = LibraryResolver()
        for file in files { _ = try shared.linkMap(forFileAt: file) }
        for file in files.reversed() {
            #expect(try shared.linkMap(forFileAt: file) == (try LibraryResolver().linkMap(forFileAt: file)), "\(file)")
        }
        let both = try shared.linkMap(forFileAt: scratch.path + "/bin/both")
        let two = try #require(both.objects.first { $0.name == "libtwo.so" })
        #expect(two.neededBy == scratch.path + "/bin/../lib/libone.so", "libone is loaded before libthree's libfour")
        #expect(two.path == scratch.path + "/bin/../lib/libtwo.so")
    }

    /// The health check of the whole tree (one resolver, files in parallel) names what the loader
    /// does not find, and who needed it.
    @Test func theCheckOfTheTreeReportsEachContextsFindings() throws {
        let scratch = try TemporaryDirectory()
        let files = try Self.tree(in: scratch)
        let report = try HealthChecker().check(installDir: scratch.path)
        #expect(report.filesChecked == files.count)
        func findings(_ file: String) -> [Finding] { report.failures.first { $0.file == file }?.findings ?? [] }
        #expect(findings("bin/missing").contains { $0.library == "libgone.so" && $0.reason == .notFound })
        #expect(findings("bin/runpath").contains { $0.library == "libtwo.so" && $0.reason == .notFound && $0.neededBy == "lib/libone.so" })
        #expect(!findings("bin/rpath").contains { $0.reason == .notFound })
        #expect(!findings("bin/alias").contains { $0.reason == .notFound })
        #expect(!findings("bin/both").contains { $0.reason == .notFound })
    }
}
