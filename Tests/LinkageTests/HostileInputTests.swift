import Foundation
import Testing
import TestSupport
@testable import Linkage

/// The two inputs of the hardening issue: one file with tens of thousands of `DT_NEEDED` entries
/// and a long RPATH, and a long chain of libraries each needing the next. The check must end
/// with a limit finding instead of running for minutes, and its work must grow linearly. Work is
/// counted (files opened, directories read and consulted, `DT_NEEDED` entries followed), not
/// timed: before memoised search lists and the limits, the counts below grew fourfold when the
/// input doubled.
@Suite(.ownThread, .timeLimit(.minutes(5))) struct HostileInputTests {
    /// `lib/libwide.so` needing `needed` libraries that exist nowhere, with an RPATH of
    /// `directories` existing (empty) directories, all inside the install dir.
    static func wideLibrary(in install: TemporaryDirectory, needed: Int, directories: Int) throws {
        for index in 0..<directories { try install.directory(String(format: "lib/d%03d", index)) }
        let rpath = (0..<directories).map { String(format: "$ORIGIN/d%03d", $0) }.joined(separator: ":")
        try CraftedELF(needed: (0..<needed).map { "l\($0).so" }, soname: "libwide.so", rpath: rpath)
            .write(to: install.path + "/lib/libwide.so")
    }

    /// `lib/libchain0.so` needs `libchain1.so`, which needs `libchain2.so`, ..., each found
    /// through `RPATH=$ORIGIN`.
    static func chain(in install: TemporaryDirectory, length: Int) throws {
        for index in 0..<length {
            let next = index + 1 < length ? ["libchain\(index + 1).so"] : []
            try CraftedELF(needed: next, soname: "libchain\(index).so", rpath: "$ORIGIN")
                .write(to: install.path + "/lib/libchain\(index).so")
        }
    }

    static func check(_ install: TemporaryDirectory) throws -> (report: HealthReport, work: WorkCounters.Snapshot) {
        let checker = HealthChecker(resolver: LibraryResolver())
        let report = try checker.check(installDir: install.path)
        return (report, checker.resolver.counters.snapshot)
    }

    static func findings(of file: String, in report: HealthReport) -> [Finding] {
        report.failures.first { $0.file == file }?.findings ?? []
    }

    // MARK: limits

    @Test func theIssuesFileWithFiftyThousandNeededEntriesEndsInALimitFinding() throws {
        let install = try TemporaryDirectory("linkage-hostile")
        try Self.wideLibrary(in: install, needed: 50_000, directories: 135)
        let (report, work) = try Self.check(install)
        let findings = Self.findings(of: "lib/libwide.so", in: report)
        #expect(!report.passed)
        #expect(findings.count == 1, "only the limit, not 50,000 not-found lines: \(findings.prefix(3))")
        let finding = try #require(findings.first)
        #expect(finding.reason == .limitExceeded)
        #expect(finding.library == "lib/libwide.so")
        #expect(finding.resolvedPath == nil)
        #expect(finding.detail?.contains("50000 DT_NEEDED entries") == true)
        #expect(finding.detail?.contains("\(LinkageLimits.neededPerFile)") == true)
        #expect(HealthReport.describe(finding).contains("limit"))
        #expect(work.directoryLookups == 0, "nothing is searched for a file over the limit: \(work)")
    }

    @Test func moreRpathElementsThanTheLimitEndInALimitFinding() throws {
        let install = try TemporaryDirectory("linkage-hostile")
        let elements = LinkageLimits.searchPathElementsPerFile + 76
        try CraftedELF(needed: ["libz.so.1"], rpath: Array(repeating: "/", count: elements).joined(separator: ":"))
            .write(to: install.path + "/lib/librpath.so")
        let (report, _) = try Self.check(install)
        let findings = Self.findings(of: "lib/librpath.so", in: report)
        let limits = findings.filter { $0.reason == .limitExceeded }
        #expect(limits.count == 1)
        #expect(limits.first?.detail?.contains("DT_RPATH has \(elements) elements") == true)
        #expect(limits.first?.detail?.contains("\(LinkageLimits.searchPathElementsPerFile)") == true)
        #expect(!findings.contains { $0.library == "libz.so.1" }, "a file over a limit is not resolved at all")
        // Every element is still judged: each one points outside the install dir.
        #expect(findings.filter { $0.reason == .searchPathOutsideInstallDir }.count == elements)
    }

    @Test func aChainDeeperThanTheLimitEndsInALimitFinding() throws {
        let install = try TemporaryDirectory("linkage-hostile")
        let depth = LinkageLimits.depth
        let length = depth + 12
        try Self.chain(in: install, length: length)
        let (report, _) = try Self.check(install)
        // libchainI reaches libchain(I + depth) at the deepest level followed; it still needs
        // libchain(I + depth + 1) when that exists, i.e. for I < length - depth - 1.
        let failing = length - depth - 1
        #expect(report.filesChecked == length)
        #expect(report.failures.map(\.file) == (0..<failing).map { "lib/libchain\($0).so" }.sorted())
        for index in 0..<failing {
            let findings = Self.findings(of: "lib/libchain\(index).so", in: report)
            #expect(findings.count == 1)
            let finding = try #require(findings.first)
            #expect(finding.reason == .limitExceeded)
            #expect(finding.library == "libchain\(index + depth).so")
            #expect(finding.resolvedPath == install.path + "/lib/libchain\(index + depth).so")
            #expect(finding.neededBy == "lib/libchain\(index + depth - 1).so")
            #expect(finding.detail?.contains("\(depth) levels") == true)
        }
    }

    @Test func aClosureOverTheLimitStopsTheWalkWithAFinding() throws {
        let install = try TemporaryDirectory("linkage-hostile")
        // 17 libraries, each needing all 17 over and over up to the per-file maximum: 17 × 4,096
        // entries to follow from any of them, more than the closure limit.
        let count = LinkageLimits.neededInClosure / LinkageLimits.neededPerFile + 1
        let names = (0..<count).map { "libmesh\($0).so" }
        for name in names {
            let needed = (0..<LinkageLimits.neededPerFile).map { names[$0 % count] }
            try CraftedELF(needed: needed, soname: name, rpath: "$ORIGIN").write(to: install.path + "/lib/" + name)
        }
        let (report, work) = try Self.check(install)
        #expect(report.filesChecked == count)
        #expect(work.neededFollowed <= count * LinkageLimits.neededInClosure)
        for name in names {
            let limits = Self.findings(of: "lib/" + name, in: report).filter { $0.reason == .limitExceeded }
            #expect(limits.count == 1, "\(name)")
            #expect(limits.first?.library == "lib/" + name)
            #expect(limits.first?.detail?.contains("\(LinkageLimits.neededInClosure)") == true)
        }
    }

    // MARK: linear work

    @Test func workOnALongChainGrowsLinearly() throws {
        let small = try TemporaryDirectory("linkage-hostile"), large = try TemporaryDirectory("linkage-hostile")
        let length = 4 * LinkageLimits.depth
        try Self.chain(in: small, length: length)
        try Self.chain(in: large, length: 2 * length)
        let (_, once) = try Self.check(small)
        let (_, twice) = try Self.check(large)
        // Each file is read once, whether it is checked or needed.
        #expect(once.filesOpened <= length + 4, "\(once)")
        #expect(twice.filesOpened <= 2 * length + 4, "\(twice)")
        // Every walk stops at the depth limit, so following entries costs at most
        // length × depth: 2.14 times as much for twice the files (quadratic growth gives 4).
        Self.expectLinear(once.neededFollowed, twice.neededFollowed, "DT_NEEDED entries followed")
        Self.expectLinear(once.directoryLookups, twice.directoryLookups, "directory lookups")
        Self.expectLinear(once.filesOpened + once.directoriesRead, twice.filesOpened + twice.directoriesRead,
                          "files and directories read")
    }

    @Test func workOnAWideFileGrowsLinearly() throws {
        let small = try TemporaryDirectory("linkage-hostile"), large = try TemporaryDirectory("linkage-hostile")
        try Self.wideLibrary(in: small, needed: 1_000, directories: 60)
        try Self.wideLibrary(in: large, needed: 2_000, directories: 120)
        let (smallReport, once) = try Self.check(small)
        let (largeReport, twice) = try Self.check(large)
        #expect(Self.findings(of: "lib/libwide.so", in: smallReport).filter { $0.reason == .notFound }.count == 1_000)
        #expect(Self.findings(of: "lib/libwide.so", in: largeReport).filter { $0.reason == .notFound }.count == 2_000)
        // Twice the names in twice the directories: a search per name and directory is 4 times
        // the work; one listing per directory and one index per search path is twice.
        Self.expectLinear(once.filesOpened + once.directoriesRead, twice.filesOpened + twice.directoriesRead,
                          "files and directories read")
        Self.expectLinear(once.directoryLookups + 1, twice.directoryLookups + 1, "directory lookups")
    }

    static func expectLinear(_ once: Int, _ twice: Int, _ what: String, sourceLocation: SourceLocation = #_sourceLocation) {
        let ratio = Double(twice) / Double(max(once, 1))
        #expect(ratio < 2.5, "\(what): \(once) for the input, \(twice) for twice the input (×\(ratio))",
                sourceLocation: sourceLocation)
    }
}
