import Foundation
import Testing
@testable import Linkage

/// The resolver against `ldd` over the whole system: every ELF file under /usr/bin and the
/// multiarch library directory, every library each one loads, the same path.
@Suite struct LddGroundTruthTests {
    static let systemDirectories = ["/usr/bin", "/usr/lib/x86_64-linux-gnu"]

    /// All regular files starting with the ELF magic, found by our walker.
    static func systemELFFiles() -> [String] {
        systemDirectories.flatMap { root in
            InstallTree.regularFiles(under: root).files.map { root + "/" + $0 }
        }.filter(ELFFile.hasELFMagic(path:))
    }

    /// ldd over many files in two shell loops (one per core), far cheaper than one process each.
    static func lddListings(_ files: [String]) throws -> [String: String] {
        guard let bash = Tools.find("bash"), Tools.find("ldd") != nil else {
            throw ToolFailure(command: "ldd", output: "bash or ldd absent")
        }
        let script = #"while IFS= read -r f; do printf '=== %s\n' "$f"; ldd "$f" 2>&1; done"#
        let halves = [Array(files.enumerated().filter { $0.offset % 2 == 0 }.map(\.element)),
                      Array(files.enumerated().filter { $0.offset % 2 == 1 }.map(\.element))]
        let outputs = ListingBox()
        DispatchQueue.concurrentPerform(iterations: halves.count) { half in
            let run = try? Tools.run(bash, ["-c", script], input: halves[half].joined(separator: "\n") + "\n")
            outputs.append(run?.output ?? "")
        }
        var listings: [String: String] = [:]
        for output in outputs.values {
            for block in output.components(separatedBy: "=== ").dropFirst() {
                guard let newline = block.firstIndex(of: "\n") else { continue }
                listings[String(block[..<newline])] = String(block[block.index(after: newline)...])
            }
        }
        return listings
    }

    @Test func everySystemELFFileResolvesAsLddSays() throws {
        guard Tools.find("ldd") != nil else {
            Issue.record("ldd is not installed; the ground truth needs it")
            return
        }
        let files = Self.systemELFFiles()
        #expect(files.count > 100, "expected a real system with many ELF files, found \(files.count)")
        let listings = try Self.lddListings(files)
        #expect(listings.count == files.count)
        let resolver = LibraryResolver()
        var compared = 0, librariesCompared = 0, staticOrNotDynamic = 0
        var mismatches: [String] = []
        for file in files {
            guard let listing = listings[file] else {
                mismatches.append("\(file): no ldd output")
                continue
            }
            let expected = LddListing.parse(listing)
            let map = try resolver.linkMap(forFileAt: file)
            let actual = LddListing.pairs(of: map)
            if listing.contains("statically linked") || listing.contains("not a dynamic executable") {
                // ldd lists nothing for files without DT_NEEDED (static, relocatable, ld.so itself).
                staticOrNotDynamic += 1
                #expect(map.file.needed.isEmpty, "\(file): ldd calls it static but it has DT_NEEDED \(map.file.needed)")
            }
            compared += 1
            librariesCompared += expected.count
            if expected != actual {
                mismatches.append("\(file):\n  ldd only: \(expected.subtracting(actual).sorted { $0.name < $1.name })\n  ours only: \(actual.subtracting(expected).sorted { $0.name < $1.name })")
            }
        }
        #expect(mismatches.isEmpty, "\(mismatches.count) of \(compared) files differ from ldd:\n\(mismatches.prefix(20).joined(separator: "\n"))")
        #expect(librariesCompared > compared, "the comparison must cover libraries, not just files")
        #expect(staticOrNotDynamic < compared)
        print("ldd ground truth: \(compared) files, \(librariesCompared) resolved libraries, \(staticOrNotDynamic) without dependencies, \(mismatches.count) differences")
    }

    @Test func walkerFindsTheSameRegularFilesAsFind() throws {
        guard let find = Tools.find("find") else {
            Issue.record("find is not installed")
            return
        }
        for root in Self.systemDirectories {
            let expected = try Tools.succeed(find, [root, "-type", "f"]).split(separator: "\n")
                .map { String($0.dropFirst(root.count + 1)) }.sorted { $0.utf8.lexicographicallyPrecedes($1.utf8) }
            #expect(InstallTree.regularFiles(under: root).files == expected, "\(root)")
        }
    }
}

final class ListingBox: @unchecked Sendable {
    private let lock = NSLock()
    private(set) var values: [String] = []
    func append(_ value: String) { lock.lock(); values.append(value); lock.unlock() }
}
