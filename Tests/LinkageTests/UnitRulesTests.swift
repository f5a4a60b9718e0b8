import Globbing
import Testing
@testable import Linkage

@Suite struct GlobTests {
    @Test(arguments: [
        ("libz.so*", "libz.so.1", true), ("libz.so*", "libz.so", true), ("libz.so*", "libzstd.so.1", false),
        ("libc.so.*", "libc.so.6", true), ("libc.so.*", "libc.so", false), ("libc.so.*", "libcrypto.so.3", false),
        ("ld-linux-*.so.*", "ld-linux-x86-64.so.2", true), ("lib?.so", "libm.so", true),
        ("lib[mc].so.6", "libm.so.6", true), ("lib[!mc].so.6", "libm.so.6", false),
        ("bin/*", "bin/tool", true), ("bin/*", "bin/sub/tool", false), ("bin/**", "bin/sub/tool", true),
        ("**/*.so", "a/b/c.so", true), ("**/*.so", "c.so", true), ("embedded/**/plugins/*", "embedded/lib/x/plugins/p.so", true),
        ("*", "", true), ("a[", "a[", true),
    ])
    func matches(pattern: String, text: String, expected: Bool) {
        #expect(Glob(pattern).matches(text) == expected)
    }

    @Test func pathologicalPatternsFinishQuickly() {
        #expect(!Glob(String(repeating: "*a", count: 30) + "b").matches(String(repeating: "a", count: 200)))
        #expect(!Glob(String(repeating: "**", count: 20) + "b").matches(String(repeating: "a/", count: 100)))
    }
}

@Suite struct DynamicStringTokenTests {
    static let environment = LoaderEnvironment(cacheFlags: 0x303, lib: "lib/x86_64-linux-gnu", platform: "x86_64",
                                               defaultDirectories: [], capabilitySubdirectories: [],
                                               interpreter: nil, vdsoNames: [])

    @Test(arguments: [
        ("$ORIGIN/../lib", "/opt/x/bin/../lib"), ("${ORIGIN}/lib", "/opt/x/bin/lib"),
        ("/a/$LIB", "/a/lib/x86_64-linux-gnu"), ("/a/${PLATFORM}/b", "/a/x86_64/b"),
        ("$ORIGINAL/x", "$ORIGINAL/x"), ("/a/$FOO", "/a/$FOO"), ("${ORIGIN", "${ORIGIN"), ("$", "$"),
        ("$ORIGIN", "/opt/x/bin"),
    ])
    func expandsLikeTheLoader(input: String, expected: String) {
        #expect(DynamicStringTokens.expand(input, origin: "/opt/x/bin", environment: Self.environment) == expected)
    }

    @Test func unknownOriginDropsTheElement() {
        #expect(DynamicStringTokens.expand("$ORIGIN/lib", origin: nil, environment: Self.environment) == nil)
    }

    @Test func searchPathElementsSplitAsTheLoaderSplitsThem() {
        let entries = SearchPathEntry.entries("/a/:$ORIGIN/lib::/", tag: .runpath, origin: "/o", environment: Self.environment)
        #expect(entries.map(\.expanded) == ["/a", "/o/lib", "", "/"])
    }

    @Test func relativeAndOutsideSearchPathsFail() throws {
        let install = try TemporaryDirectory("linkage-install")
        let resolver = LibraryResolver()
        let judge = LinkageJudge(root: install.path, canonicalRoot: install.path, policy: HealthCheckPolicy(), resolver: resolver)
        let file = ELFFile(path: install.path + "/bin/x", target: .init(elfClass: .elf64, endianness: .little, machine: 62),
                           type: .executable, interpreter: nil, isDynamic: true, needed: [], soname: nil,
                           rpath: "$ORIGIN/../lib:lib:", runpath: nil, flags1: 0)
        let map = LinkMap(file: file, objects: [], searchPaths: SearchPathEntry.entries(
            file.rpath!, tag: .rpath, origin: install.path + "/bin", environment: Self.environment))
        let findings = judge.findings(map)
        #expect(findings.map(\.library) == ["lib", ""])
        #expect(findings.allSatisfy { $0.reason == .searchPathOutsideInstallDir })
    }
}
