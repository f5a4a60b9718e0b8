import Foundation
import Testing
@testable import Linkage

/// `ELFSections` against what readelf says of real compiler output, and against cut files.
@Suite struct ELFSectionsTests {
    @Test func readsTypeDebugInfoAndTheBuildIDReadelfShows() throws {
        guard let readelf = Tools.find("readelf"), Compiler.cc != nil else { print("skipped: no cc or readelf"); return }
        let scratch = try TemporaryDirectory()
        let withDebug = scratch.path + "/debug", plain = scratch.path + "/plain", library = scratch.path + "/lib.so"
        try Compiler.build("int main(void) { return 0; }\n", to: withDebug, ["-g", "-Wl,--build-id=sha1"], in: scratch)
        try Compiler.build("int main(void) { return 0; }\n", to: plain, ["-Wl,--build-id=none"], in: scratch)
        try Compiler.sharedLibrary(library, soname: "lib.so", symbol: "f", in: scratch)

        let debug = try #require(try ELFSections.read(path: withDebug))
        #expect(debug.hasDebugInfo)
        #expect(!debug.hasDebugLink)
        let notes = try Tools.run(readelf, ["-n", withDebug]).output
        let shown = try #require(notes.split(separator: "\n").first { $0.contains("Build ID:") }?.split(separator: " ").last)
        #expect(debug.buildIDHex == String(shown))
        #expect(debug.buildID?.count == 20)

        let stripped = try #require(try ELFSections.read(path: plain))
        #expect(!stripped.hasDebugInfo)
        #expect(stripped.buildID == nil)
        #expect(try ELFSections.read(path: library)?.type == .sharedObject)
        // Section names are the ones readelf lists.
        let listing = try Tools.run(readelf, ["-S", "-W", withDebug]).output
        for name in debug.names where !name.isEmpty { #expect(listing.contains(" \(name) "), "\(name) is not a section readelf shows") }
    }

    @Test func notELFIsNilAndACutSectionTableThrows() throws {
        guard Compiler.cc != nil else { print("skipped: no cc"); return }
        let scratch = try TemporaryDirectory()
        let text = try scratch.write("text", String(repeating: "not an ELF file\n", count: 8))
        #expect(try ELFSections.read(path: text) == nil)
        let program = scratch.path + "/program"
        try Compiler.build("int main(void) { return 0; }\n", to: program, in: scratch)
        // The section header table sits at the end: without the last bytes it is cut short.
        let bytes = try Data(contentsOf: URL(fileURLWithPath: program))
        let cut = scratch.path + "/cut"
        try bytes.prefix(bytes.count - 100).write(to: URL(fileURLWithPath: cut))
        #expect(throws: ELFError.self) { try ELFSections.read(path: cut) }
    }
}
