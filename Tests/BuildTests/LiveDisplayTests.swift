import Foundation
import Testing

/// The live display as a person sees it: the real binary on a pseudo-terminal of 40, 80 and
/// 160 columns, its bytes played into `TerminalScreen`, and the screen and scrollback read back.
@Suite(.serialized) struct LiveDisplayTests {
    static let names = ["zlib", "openssl", "libffi", "readline", "ncurses", "sqlite", "expat", "bzip2", "xz",
                        "curl", "a-software-with-a-name-long-enough-to-be-cut"]

    /// Eleven software that each take a moment over three steps, all startable at once.
    static func repository() throws -> TestRepository {
        let repo = try TestRepository("display")
        for (index, name) in names.enumerated() {
            try repo.localSoftware(name, extra: ["license_files: [README]"], steps: [
                "run: \"sleep 0.\(3 + index % 4); mkdir -p $DESTDIR{{embedded}}/share\"",
                "run: \"echo \(name) > $DESTDIR{{embedded}}/share/\(name).txt\"",
                "run: \"sleep 0.\(2 + index % 5)\"",
            ])
        }
        try repo.project(dependencies: names)
        return repo
    }

    @Test(arguments: [40, 80, 160])
    func everyFinishedSoftwareShowsOnceAndNothingWraps(columns: Int) async throws {
        try #require(PseudoTerminalRun.available, "needs util-linux script for a pseudo-terminal")
        let repo = try Self.repository()
        let run = try await PseudoTerminalRun.omnibus(repo, ["build", "app", "--jobs", "4"], columns: columns)
        #expect(run.status == 0, "\(run.text)")
        var terminal = TerminalScreen(columns: columns, rows: 24)
        // After every frame (a draw ends by erasing below itself) the live area must be whole:
        // one summary line in everything shown so far, never a wrapped line above the results.
        let frames = run.text.components(separatedBy: "\u{1B}[J")
        var sawRunning = false
        for frame in frames.dropLast() {
            terminal.feed(frame + "\u{1B}[J")
            let transcript = terminal.transcript.map(\.text)
            #expect(transcript.filter { $0.contains(" done, ") }.count == 1,
                    "the summary is drawn once, not repeated:\n\(transcript.joined(separator: "\n"))")
            #expect(!terminal.transcript.contains { $0.continued }, "a wrapped line:\n\(transcript.joined(separator: "\n"))")
            let live = terminal.screen.map(\.text).filter { $0.hasPrefix(" ▸ ") }
            #expect(live.count <= 4, "one line per running software (4 jobs): \(live)")
            sawRunning = sawRunning || live.contains { $0.contains("step ") }
        }
        #expect(sawRunning, "a running software was shown with its step")
        terminal.feed(frames.last ?? "")
        #expect(terminal.unknown.isEmpty, "\(terminal.unknown)")

        let transcript = terminal.transcript.map(\.text)
        let summary = try #require(transcript.lastIndex { $0.contains("app: 11/11 done, 0 running") }, "\(transcript)")
        let display = transcript[...summary]
        for (index, name) in Self.names.enumerated() {
            let finished = display.filter { $0.hasPrefix("✓ ") && $0.dropFirst(2).hasPrefix(name.prefix(columns - 10)) }
            #expect(finished.count == 1, "\(name) finished once, not \(finished.count) times:\n\(display.joined(separator: "\n"))")
            // One time on the line: "done in 0.8s", not "done in 0.8s  0.8s".
            if let line = finished.first, index < Self.names.count - 1 || columns >= 80 {
                #expect(line.range(of: #"^✓ \S+: done in \d+\.\ds$"#, options: .regularExpression) != nil, "\(line)")
            }
        }
        for line in display { #expect(line.count < columns, "\(line.count) columns: \(line)") }
        #expect(!display.contains { $0.contains("▸") }, "no running line is left behind")
        #expect(transcript.contains { $0.hasPrefix("built app 1.0.0 into \(repo.installDir)") } || columns < 80)
        print("screen at \(columns) columns:\n" + terminal.screen.map(\.text).joined(separator: "\n"))
    }

    @Test func theLiveAreaNeverOutgrowsTheWindow() async throws {
        try #require(PseudoTerminalRun.available, "needs util-linux script for a pseudo-terminal")
        let repo = try Self.repository()
        let rows = 6
        let run = try await PseudoTerminalRun.omnibus(repo, ["build", "app", "--jobs", "11"], columns: 80, rows: rows)
        #expect(run.status == 0, "\(run.text)")
        var terminal = TerminalScreen(columns: 80, rows: rows)
        var sawMore = false
        for frame in run.text.components(separatedBy: "\u{1B}[J").dropLast() {
            terminal.feed(frame + "\u{1B}[J")
            let all = terminal.transcript.map(\.text)
            #expect(all.filter { $0.contains(" done, ") }.count == 1, "\(all.joined(separator: "\n"))")
            let screen = terminal.screen.map(\.text)
            // The live area starts at its first running line; with the cursor's row it fits the window.
            if let first = screen.firstIndex(where: { $0.hasPrefix(" ▸ ") || $0.contains(" more running") }) {
                let last = try #require(screen.lastIndex { $0.contains(" done, ") })
                #expect(last - first + 1 <= rows - 1, "\(screen)")
            }
            sawMore = sawMore || screen.contains { $0.contains("… and ") && $0.contains(" more running") }
        }
        #expect(sawMore, "more software ran than rows allow, and the display said so")
    }

    /// A log, a dumb terminal or `--color never` get no escape sequence at all.
    @Test(arguments: [["NO_COLOR": "1", "TERM": "dumb"], ["CI": "true"], ["TERM": "dumb"]])
    func plainModesWriteNoEscape(environment: [String: String]) async throws {
        try #require(PseudoTerminalRun.available, "needs util-linux script for a pseudo-terminal")
        let repo = try TestRepository("plain")
        try repo.localSoftware("one", extra: ["license_files: [README]"], steps: ["run: \"sleep 0.2\""])
        try repo.project(dependencies: ["one"])
        let run = try await PseudoTerminalRun.omnibus(repo, ["build", "app"], columns: 80, environment: environment)
        #expect(run.status == 0, "\(run.text)")
        #expect(!run.bytes.contains(0x1B), "\(environment): \(run.text.debugDescription)")
        #expect(run.text.contains("one: done in "))
    }

    @Test func colorNeverOnATerminalIsLiveWithoutColour() async throws {
        try #require(PseudoTerminalRun.available, "needs util-linux script for a pseudo-terminal")
        let repo = try TestRepository("nocolor")
        try repo.localSoftware("one", extra: ["license_files: [README]"], steps: ["run: \"sleep 0.2\""])
        try repo.project(dependencies: ["one"])
        let never = try await PseudoTerminalRun.omnibus(repo, ["build", "app", "--color", "never"], columns: 80)
        #expect(never.status == 0, "\(never.text)")
        #expect(never.text.contains("\u{1B}[J"), "still live")
        #expect(!never.text.contains("m\u{1B}") && !never.text.contains("\u{1B}[3"), "no SGR colour: \(never.text.debugDescription)")
        let colored = try await PseudoTerminalRun.omnibus(repo, ["build", "app"], columns: 80, environment: ["NO_COLOR": "1"])
        #expect(!colored.text.contains("\u{1B}[3"), "NO_COLOR: \(colored.text.debugDescription)")
    }

    @Test func pipedOutputHasNoEscapeUnlessColourIsForced() async throws {
        let repo = try TestRepository("piped")
        try repo.localSoftware("one", extra: ["license_files: [README]"], steps: ["run: \"true\""])
        try repo.project(dependencies: ["one"])
        let piped = try await repo.omnibus(["build", "app"], environment: ["CI": "", "TERM": "xterm-256color"])
        #expect(piped.status == 0, "\(piped.stderr)")
        #expect(!(piped.stdout + piped.stderr).contains("\u{1B}"))
        let forced = try await repo.omnibus(["build", "app", "--color", "always"], environment: ["CI": "", "TERM": "xterm-256color"])
        #expect(forced.stderr.contains("\u{1B}[32m"), "colour forced: \(forced.stderr.debugDescription)")
        #expect((forced.stdout + forced.stderr).range(of: "\u{1B}\\[[0-9]*[ABGJK]", options: .regularExpression) == nil,
                "no cursor movement when piped")
    }
}
