import Foundation
import Testing

/// Project names complete in bash the way a user's Tab does: the generated script is sourced
/// and its completion function called with the words of a command line.
@Suite struct CompletionTests {
    /// The completions bash offers for `words`, the last one being completed, run in `directory`.
    static func complete(_ words: [String], in directory: String) async throws -> [String] {
        let script = try await OmnibusBinary.run(["--generate-completion-script", "bash"])
        #expect(script.status == 0)
        let scratch = try ScratchDirectory("completion")
        try scratch.write("omnibus.bash", script.stdout)
        let quoted = words.map { "'" + $0.replacingOccurrences(of: "'", with: "'\\''") + "'" }.joined(separator: " ")
        try scratch.write("complete.sh", """
            source \(scratch.path)/omnibus.bash
            COMP_WORDS=(\(quoted))
            COMP_CWORD=$(( ${#COMP_WORDS[@]} - 1 ))
            COMP_LINE="${COMP_WORDS[*]}"
            COMP_POINT=${#COMP_LINE}
            _omnibus
            printf '%s\\n' "${COMPREPLY[@]}"

            """)
        let binDir = (OmnibusBinary.path as NSString).deletingLastPathComponent
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/bash")
        process.arguments = [scratch.path + "/complete.sh"]
        process.currentDirectoryURL = URL(fileURLWithPath: directory)
        process.environment = ProcessInfo.processInfo.environment.merging(["PATH": binDir + ":/usr/bin:/bin"]) { $1 }
        let out = Pipe()
        process.standardOutput = out
        try process.run()
        let data = out.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        #expect(process.terminationStatus == 0)
        return String(decoding: data, as: UTF8.self).split(separator: "\n").map(String.init).filter { !$0.isEmpty }.sorted()
    }

    @Test func projectNamesOfTheCurrentDirectory() async throws {
        let root = OmnibusBinary.repositoryRoot
        #expect(try await Self.complete(["omnibus", "build", ""], in: root) == ["archive-tools", "demo", "greeter", "library", "omnibus", "python-sample"])
        #expect(try await Self.complete(["omnibus", "graph", "gr"], in: root) == ["greeter"])
        #expect(try await Self.complete(["omnibus", "validate", "a"], in: root) == ["archive-tools"])
        #expect(try await Self.complete(["omnibus", "cache", "clear", "om"], in: root) == ["omnibus"])
    }

    @Test func projectNamesOfTheRootOption() async throws {
        let repo = try ScratchDirectory("completion-root")
        try repo.write("Projects/alpha.yml", "name: alpha\n")
        try repo.write("Projects/beta.yaml", "name: beta\n")
        // Not a definition: not offered.
        try repo.write("Projects/notes.txt", "")
        for command in ["package", "mirror", "publish", "health-check", "clean"] {
            #expect(try await Self.complete(["omnibus", command, "--root", repo.path, ""], in: "/") == ["alpha", "beta"], "\(command)")
        }
        #expect(try await Self.complete(["omnibus", "build", "--root=\(repo.path)", "b"], in: "/") == ["beta"])
    }

    @Test func outsideARepositoryNothingIsOfferedAndNothingPrinted() async throws {
        let empty = try ScratchDirectory("completion-empty")
        await #expect(try Self.complete(["omnibus", "build", ""], in: empty.path) == [])
        let direct = try await OmnibusBinary.run(["---completion", "build", "--", "positional@0", "2", "0", "omnibus", "build", ""], in: empty.path)
        #expect(direct.status == 0)
        // ArgumentParser ends the (empty) list with a newline; nothing else is said.
        #expect(direct.stdout.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty)
        #expect(direct.stderr.isEmpty)
    }
}
