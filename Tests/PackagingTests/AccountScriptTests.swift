import Definitions
import Foundation
import Testing
@testable import Packaging

/// The account block put in front of a project's preinst, executed the way dpkg executes a
/// maintainer script (the file itself, through its #! line).
@Suite struct AccountScriptTests {
    static func run(_ script: String) async throws -> CommandResult {
        let path = FileManager.default.temporaryDirectory.path + "/preinst-" + UUID().uuidString
        try script.write(toFile: path, atomically: true, encoding: .utf8)
        chmod(path, 0o755)
        defer { unlink(path) }
        return try await Command.run(path, ["install"])
    }

    @Test func theScriptsOwnErrexitStaysOn() async throws {
        let script = try #require(AccountScript.prepend("echo accounts\n", to: "#!/bin/sh -e\nfalse\necho reached\n"))
        let result = try await Self.run(script)
        #expect(result.text == "accounts\n" && !result.succeeded, "\(result.text)")
    }

    @Test func aScriptWithoutErrexitKeepsGoingAsBefore() async throws {
        let script = try #require(AccountScript.prepend("echo accounts\n", to: "#!/bin/sh\nfalse\necho reached \"$1\"\n"))
        let result = try await Self.run(script)
        #expect(result.text == "accounts\nreached install\n" && result.succeeded, "\(result.text)")
    }

    @Test func aFailingAccountStepStopsBeforeTheScript() async throws {
        let script = try #require(AccountScript.prepend("false\necho not-here\n", to: "#!/bin/bash\necho reached\n"))
        let result = try await Self.run(script)
        #expect(!result.succeeded && result.text.isEmpty, "\(result.text)")
    }

    @Test func aShebangWithoutNewlineAndOtherInterpreters() async throws {
        let bare = try #require(AccountScript.prepend("echo accounts\n", to: "#!/bin/sh"))
        #expect(try await Self.run(bare).text == "accounts\n")
        #expect(AccountScript.prepend("echo accounts\n", to: "#!/usr/bin/env bash\necho x\n") != nil)
        #expect(AccountScript.prepend("echo accounts\n", to: "#!/usr/bin/python3\nprint(1)\n") == nil)
        #expect(AccountScript.prepend("echo accounts\n", to: "#!/bin/sh\t-e\necho x\n") != nil, "a tab separates the argument too")
    }
}
