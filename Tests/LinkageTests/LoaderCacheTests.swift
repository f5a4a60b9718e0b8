import Foundation
import Testing
@testable import Linkage

/// The cache and configuration readers against `ldconfig`, which writes and prints them.
@Suite struct LoaderCacheTests {
    /// `ldconfig -p` lines as (name, flags text, path).
    static func ldconfigPrint(_ cache: String) throws -> [(name: String, detail: String, path: String)] {
        let ldconfig = try #require(Tools.find("ldconfig"))
        return try Tools.succeed(ldconfig, ["-p", "-C", cache]).split(separator: "\n").compactMap { line in
            guard line.hasPrefix("\t"), let arrow = line.range(of: " => "), let open = line.range(of: " (") else { return nil }
            return (String(line[line.index(after: line.startIndex)..<open.lowerBound]),
                    String(line[open.upperBound..<line.index(before: arrow.lowerBound)]),
                    String(line[arrow.upperBound...]))
        }
    }

    @Test func systemCacheMatchesLdconfig() throws {
        let cache = try LoaderCache(contentsOf: "/etc/ld.so.cache")
        let printed = try Self.ldconfigPrint("/etc/ld.so.cache")
        #expect(cache.entries.count == printed.count)
        #expect(cache.entries.map(\.name) == printed.map(\.name))
        #expect(cache.entries.map(\.path) == printed.map(\.path))
        for (entry, line) in zip(cache.entries, printed) where line.detail == "libc6,x86-64" {
            #expect(entry.flags == 0x0303)
        }
    }

    /// Builds a cache with the real ldconfig inside a private root (needs root for chroot).
    static func buildCache(format: String, in root: TemporaryDirectory) throws -> String {
        let ldconfig = try #require(Tools.find("ldconfig"))
        try Tools.succeed(ldconfig, ["-r", root.path, "-c", format])
        return root.path + "/etc/ld.so.cache"
    }

    static func populatedRoot() throws -> TemporaryDirectory {
        let root = try TemporaryDirectory("linkage-root")
        let zlib = try SystemLibraries.realPath(ofSoname: "libz.so.1")
        try root.directory("usr/lib")
        try root.directory("opt/app/lib/glibc-hwcaps/x86-64-v3")
        try FileManager.default.copyItem(atPath: zlib, toPath: root.path + "/usr/lib/libz.so.1")
        try FileManager.default.copyItem(atPath: zlib, toPath: root.path + "/opt/app/lib/libz.so.1")
        try Compiler.sharedLibrary(root.path + "/opt/app/lib/libfast.so.1", soname: "libfast.so.1", symbol: "fast", in: root)
        try Compiler.sharedLibrary(root.path + "/opt/app/lib/glibc-hwcaps/x86-64-v3/libfast.so.1", soname: "libfast.so.1",
                                   symbol: "fast", in: root)
        try root.write("etc/ld.so.conf", "# test\ninclude ld.so.conf.d/*.conf\n")
        try root.write("etc/ld.so.conf.d/app.conf", "/opt/app/lib\n")
        return root
    }

    @Test(arguments: ["new", "compat", "old"])
    func everyCacheFormatReadsAsLdconfigPrintsIt(format: String) throws {
        guard getuid() == 0 else {
            Issue.record("ldconfig -r needs root to chroot; CI runs the tests as root")
            return
        }
        let root = try Self.populatedRoot()
        let path = try Self.buildCache(format: format, in: root)
        let cache = try LoaderCache(contentsOf: path)
        let printed = try Self.ldconfigPrint(path)
        #expect(cache.entries.map(\.name) == printed.map(\.name))
        #expect(cache.entries.map(\.path) == printed.map(\.path))
        #expect(cache.lookup("libz.so.1", flags: 0x0303) == printed.first { $0.name == "libz.so.1" }?.path)
        if format == "old" {
            // The old format cannot mark glibc-hwcaps entries; the loader takes the first one.
            #expect(cache.lookup("libfast.so.1", flags: 0x0303) == printed.first { $0.name == "libfast.so.1" }?.path)
        } else {
            #expect(cache.lookup("libfast.so.1", flags: 0x0303) == "/opt/app/lib/libfast.so.1")
        }
        if format == "new" {
            // The new format records glibc-hwcaps subdirectories; the loader prefers them.
            #expect(cache.entries.contains { $0.hwcapsSubdirectory == "x86-64-v3" })
            #expect(printed.contains { $0.detail.contains("x86-64-v3") })
            #expect(cache.lookup("libfast.so.1", flags: 0x0303, hwcapsPriority: ["x86-64-v4", "x86-64-v3"])
                    == "/opt/app/lib/glibc-hwcaps/x86-64-v3/libfast.so.1")
        }
        #expect(cache.lookup("libz.so.1", flags: 0x0003) == nil, "an i386 loader takes no x86-64 entry")
    }

    @Test func damagedCachesAreErrorsNotCrashes() throws {
        let bytes = try [UInt8](Data(contentsOf: URL(fileURLWithPath: "/etc/ld.so.cache")))
        for length in [0, 5, 20, 47, 48, 100, bytes.count / 2] {
            #expect(throws: LoaderCacheError.self) { try LoaderCache(bytes: Array(bytes.prefix(length)), path: "cut") }
        }
        var lying = bytes
        lying[20] = 0xff; lying[21] = 0xff; lying[22] = 0xff; lying[23] = 0x7f
        #expect(throws: LoaderCacheError.self) { try LoaderCache(bytes: lying, path: "lying") }
        #expect(throws: LoaderCacheError.self) { try LoaderCache(bytes: Array("not a cache".utf8), path: "text") }
    }

    @Test func withoutACacheTheConfiguredDirectoriesAreSearched() throws {
        let scratch = try TemporaryDirectory()
        let lib = try scratch.directory("conf-lib")
        try Compiler.sharedLibrary(lib + "/libconf.so.1", soname: "libconf.so.1", symbol: "conf", in: scratch)
        let conf = try scratch.write("ld.so.conf", "\(lib)\n")
        let main = scratch.path + "/main"
        try Compiler.build("int conf(void);\nint main(void) { return conf(); }\n", to: main, [lib + "/libconf.so.1"], in: scratch)
        let resolver = LibraryResolver(cachePath: scratch.path + "/missing-cache", configPath: conf)
        #expect(resolver.cache == nil)
        #expect(resolver.cacheError != nil)
        let map = try resolver.linkMap(forFileAt: main)
        #expect(map.objects.first { $0.name == "libconf.so.1" }?.path == lib + "/libconf.so.1")
        #expect(map.objects.first { $0.name == "libc.so.6" }?.path != nil, "default directories still serve libc")
    }
}

@Suite struct LoaderConfigTests {
    /// Directories `ldconfig -v` reports scanning from the configuration (not its built-in ones).
    static func ldconfigDirectories(root: String) throws -> [String] {
        let ldconfig = try #require(Tools.find("ldconfig"))
        let output = try Tools.run(ldconfig, ["-r", root, "-v", "-N", "-X"]).output
        return output.split(separator: "\n").compactMap { line in
            guard !line.hasPrefix("\t"), let marker = line.range(of: ": (from "), !line.contains("<builtin>") else { return nil }
            return String(line[..<marker.lowerBound])
        }
    }

    @Test func includesCommentsAndOldSyntaxMatchLdconfig() throws {
        guard getuid() == 0 else {
            Issue.record("ldconfig -r needs root to chroot; CI runs the tests as root")
            return
        }
        let root = try TemporaryDirectory("linkage-root")
        for directory in ["opt/a/lib", "opt/b/lib", "opt/c/lib", "opt/d/lib", "opt/e/lib"] { try root.directory(directory) }
        try root.write("etc/ld.so.conf", """
            # comment line
            /opt/a/lib   # trailing comment
            include ld.so.conf.d/*.conf
            hwcap 0 nosegneg
            /opt/e/lib
            """)
        try root.write("etc/ld.so.conf.d/10-b.conf", "/opt/b/lib\n/opt/a/lib\n")
        try root.write("etc/ld.so.conf.d/20-c.conf", "/opt/c/lib/\ninclude nested/*.conf\n")
        try root.write("etc/ld.so.conf.d/nested/x.conf", "/opt/d/lib\n")
        try root.write("etc/ld.so.conf.d/ignored.txt", "/opt/ignored\n")
        let ours = LoaderConfig.directories(configPath: root.path + "/etc/ld.so.conf")
        let theirs = try Self.ldconfigDirectories(root: root.path)
        #expect(ours == theirs)
        #expect(ours == ["/opt/a/lib", "/opt/b/lib", "/opt/c/lib", "/opt/d/lib", "/opt/e/lib"])
    }
}
