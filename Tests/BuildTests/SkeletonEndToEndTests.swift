import Foundation
import Testing

/// `omnibus new` as a newcomer uses it: generate, validate, build, install with dpkg and rpm,
/// run the program from PATH, remove. Installs into the real system, so it needs root (CI is root).
@Suite(.serialized) struct SkeletonEndToEndTests {
    static let isRoot = getuid() == 0
    static let hasPackageTools = ["/usr/bin/dpkg", "/usr/bin/rpm", "/usr/bin/lintian", "/usr/bin/rpmlint"].allSatisfy { FileManager.default.isExecutableFile(atPath: $0) }

    @Test(.enabled(if: isRoot && hasPackageTools, "needs root, dpkg, rpm, lintian and rpmlint: it installs the generated package for real"))
    func newProjectBuildsInstallsAndRemoves() async throws {
        let name = "skel\(UUID().uuidString.prefix(6).lowercased())"
        let base = FileManager.default.temporaryDirectory.appendingPathComponent("e2e-\(name)").path
        let repo = base + "/omnibus-\(name)"
        defer {
            _ = try? SystemDpkg.runBriefly(["--purge", name])
            try? FileManager.default.removeItem(atPath: "/opt/\(name)")
        }
        let omnibus = OmnibusBinaryPath.path
        let created = try await CommandResult.run([omnibus, "new", name], in: base.isEmpty ? nil : try makeDirectory(base))
        #expect(created.status == 0, "\(created.stderr)")
        #expect(try await CommandResult.run([omnibus, "validate"], in: repo).status == 0)

        let scoped = ["--work-dir", base + "/work", "--cache-dir", base + "/cache"]
        let build = try await CommandResult.run([omnibus, "build", name] + scoped, in: repo)
        #expect(build.status == 0, "\(build.stdout)\n\(build.stderr)")
        #expect(build.stdout.contains("health check passed"))
        let deb = repo + "/pkg/\(name)_0.1.0-1_amd64.deb"
        let rpm = repo + "/pkg/\(name)-0.1.0-1.x86_64.rpm"
        for file in [deb, rpm, repo + "/pkg/\(name)-0.1.0-1.debian12.x86_64.tar.gz"] {
            #expect(FileManager.default.fileExists(atPath: file), "\(file)")
            #expect(FileManager.default.fileExists(atPath: file + ".metadata.json"), "\(file).metadata.json")
        }
        await #expect(try lintTags(["lintian", "--tag-display-limit", "0", deb]) == Self.expectedLintian)
        await #expect(try lintTags(["rpmlint", rpm]) == Self.expectedRPMLint)

        // The build's own copy goes; dpkg must bring it back.
        try FileManager.default.removeItem(atPath: "/opt/\(name)")

        let install = try await SystemDpkg.run(["-i", deb])
        #expect(install.status == 0, "\(install.stderr)")
        let fromPath = try await CommandResult.run(["sh", "-c", "hello"], environment: ["PATH": "/usr/bin:/bin"])
        #expect(fromPath.stdout == "Hello from \(name)!\n")
        #expect(try FileManager.default.destinationOfSymbolicLink(atPath: "/usr/bin/hello") == "/opt/\(name)/bin/hello")
        let remove = try await SystemDpkg.run(["-r", name])
        #expect(remove.status == 0, "\(remove.stderr)")
        #expect(!FileManager.default.fileExists(atPath: "/opt/\(name)"))
        #expect((try? FileManager.default.destinationOfSymbolicLink(atPath: "/usr/bin/hello")) == nil)

        let root = base + "/rpmroot"
        try await MiniRoot.make(at: root, commands: ["sh", "chown", "ln", "readlink", "basename", "rm", "find", "chmod"])
        let rpmInstall = try await CommandResult.run(["rpm", "-i", "--root", root, "--nodeps", rpm])
        #expect(rpmInstall.status == 0, "\(rpmInstall.stderr)")
        #expect(FileManager.default.isExecutableFile(atPath: root + "/opt/\(name)/embedded/bin/hello"))
        #expect(try FileManager.default.destinationOfSymbolicLink(atPath: root + "/usr/bin/hello") == "/opt/\(name)/bin/hello",
                "the package's own link")
        let rpmErase = try await CommandResult.run(["rpm", "-e", "--root", root, "--nodeps", name])
        #expect(rpmErase.status == 0, "\(rpmErase.stderr)")
        #expect((try? FileManager.default.destinationOfSymbolicLink(atPath: root + "/usr/bin/hello")) == nil, "erase removed the link")
        #expect(!FileManager.default.fileExists(atPath: root + "/opt/\(name)/embedded/bin/hello"))
    }

    /// `omnibus new` commits the skeleton, so the first build's packages carry that commit's time,
    /// not the 2000-01-01 fallback of a repository without commits; dpkg-deb, tar and rpm read it back.
    @Test(.enabled(if: isRoot && hasPackageTools, "needs root (it builds into /opt), dpkg-deb and rpm"))
    func packagesAreDatedAtTheSkeletonsCommit() async throws {
        let name = "skel\(UUID().uuidString.prefix(6).lowercased())"
        let base = FileManager.default.temporaryDirectory.appendingPathComponent("dated-\(name)").path
        let repo = base + "/omnibus-\(name)"
        defer {
            try? FileManager.default.removeItem(atPath: "/opt/\(name)")
            try? FileManager.default.removeItem(atPath: base)
        }
        let omnibus = OmnibusBinaryPath.path
        // An empty SOURCE_DATE_EPOCH counts as unset, whatever the environment running the tests says.
        let unset = ["SOURCE_DATE_EPOCH": ""]
        let created = try await CommandResult.run([omnibus, "new", name], in: try makeDirectory(base), environment: unset)
        #expect(created.status == 0, "\(created.stderr)")
        #expect(created.stdout.contains("made it a git repository with one commit"), "\(created.stdout)")
        #expect(try await CommandResult.run(["git", "-C", repo, "rev-list", "--count", "HEAD"]).stdout == "1\n")
        #expect(try await CommandResult.run(["git", "-C", repo, "status", "--porcelain"]).stdout == "", "every file committed")
        let commitTime = try #require(Int(try await CommandResult.run(["git", "-C", repo, "log", "-1", "--format=%ct"]).stdout
            .trimmingCharacters(in: .whitespacesAndNewlines)))

        let build = try await CommandResult.run([omnibus, "build", name, "--work-dir", base + "/work", "--cache-dir", base + "/cache"],
                                          in: repo, environment: unset)
        #expect(build.status == 0, "\(build.stdout)\n\(build.stderr)")
        let deb = repo + "/pkg/\(name)_0.1.0-1_amd64.deb"

        let metadata = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: deb + ".metadata.json"))) as? [String: Any]
        #expect((metadata?["build_epoch"] as? NSNumber)?.intValue == commitTime)
        let rpmTime = try await CommandResult.run(["rpm", "-qp", "--qf", "%{BUILDTIME}", repo + "/pkg/\(name)-0.1.0-1.x86_64.rpm"])
        #expect(rpmTime.stdout == String(commitTime), "\(rpmTime.stderr)")

        let stamp = DateFormatter()
        stamp.locale = Locale(identifier: "en_US_POSIX")
        stamp.timeZone = TimeZone(identifier: "UTC")
        stamp.dateFormat = "yyyy-MM-dd HH:mm:ss"
        let committed = stamp.string(from: Date(timeIntervalSince1970: TimeInterval(commitTime)))
        for part in ["--fsys-tarfile", "--ctrl-tarfile"] {
            let listing = try await CommandResult.run(["sh", "-c", "dpkg-deb \(part) \"$1\" | tar -tv --full-time", "sh", deb], environment: ["TZ": "UTC"])
            #expect(listing.status == 0, "\(listing.stderr)")
            // mode owner size date time path: files built after the commit are lowered to it,
            // generated members carry it, and nothing is later.
            var dates: [String: String] = [:]
            for line in listing.stdout.split(separator: "\n") {
                let fields = line.split(separator: " ", omittingEmptySubsequences: true)
                guard fields.count >= 6 else { continue }
                dates[String(fields[5])] = "\(fields[3]) \(fields[4])"
            }
            #expect(!dates.isEmpty)
            #expect(dates.values.allSatisfy { $0 <= committed }, "\(part): \(dates.filter { $0.value > committed })")
            let generated = part == "--fsys-tarfile" ? ["./", "./opt/", "./opt/\(name)/embedded/bin/hello"] : ["./control"]
            for path in generated {
                #expect(dates[path] == committed, "\(part) \(path): \(dates[path] ?? "missing") instead of the commit's \(committed)")
            }
        }
    }

    /// A command link on PATH never replaces another package's: with Debian's python3-minimal
    /// installed, a postinst-made link once pointed /usr/bin/python3 into /opt and its removal
    /// deleted /usr/bin/python3. The skeleton's links are package files, so dpkg refuses the clash.
    @Test(.enabled(if: isRoot && hasPackageTools, "needs root and dpkg: it installs packages for real"))
    func anotherPackagesCommandIsNeverTakenOver() async throws {
        let name = "skel\(UUID().uuidString.prefix(6).lowercased())"
        let owner = name + "-owner"
        let base = FileManager.default.temporaryDirectory.appendingPathComponent("hijack-\(name)").path
        let repo = base + "/omnibus-\(name)"
        defer {
            _ = try? SystemDpkg.runBriefly(["--purge", name])
            _ = try? SystemDpkg.runBriefly(["--purge", owner])
            try? FileManager.default.removeItem(atPath: "/opt/\(name)")
            try? FileManager.default.removeItem(atPath: base)
        }
        // A package of someone else's that ships /usr/bin/hello as a link, as python3-minimal ships python3.
        let ownerTree = base + "/owner"
        try FileManager.default.createDirectory(atPath: ownerTree + "/DEBIAN", withIntermediateDirectories: true)
        try FileManager.default.createDirectory(atPath: ownerTree + "/usr/bin", withIntermediateDirectories: true)
        try "Package: \(owner)\nVersion: 1\nArchitecture: all\nMaintainer: T <t@example.com>\nDescription: owns hello\n"
            .write(toFile: ownerTree + "/DEBIAN/control", atomically: true, encoding: .utf8)
        try FileManager.default.createSymbolicLink(atPath: ownerTree + "/usr/bin/hello", withDestinationPath: "/bin/true")
        let ownerDeb = base + "/owner.deb"
        #expect(try await CommandResult.run(["dpkg-deb", "--build", "--root-owner-group", ownerTree, ownerDeb]).status == 0)
        await #expect(try SystemDpkg.run(["-i", ownerDeb]).status == 0)

        let omnibus = OmnibusBinaryPath.path
        #expect(try await CommandResult.run([omnibus, "new", name], in: base).status == 0)
        let build = try await CommandResult.run([omnibus, "build", name, "--work-dir", base + "/work", "--cache-dir", base + "/cache"], in: repo)
        #expect(build.status == 0, "\(build.stdout)\n\(build.stderr)")
        try FileManager.default.removeItem(atPath: "/opt/\(name)")

        // The link is the package's own file now, so dpkg itself refuses the clash, before unpacking anything.
        let install = try await SystemDpkg.run(["-i", repo + "/pkg/\(name)_0.1.0-1_amd64.deb"])
        #expect(install.status != 0)
        #expect(install.stderr.contains("trying to overwrite '/usr/bin/hello', which is also in package \(owner)"), "\(install.stderr)")
        #expect(try FileManager.default.destinationOfSymbolicLink(atPath: "/usr/bin/hello") == "/bin/true")
        let verify = try await CommandResult.run(["dpkg", "-V", owner])
        #expect(verify.status == 0 && verify.stdout.isEmpty, "\(verify.stdout)\(verify.stderr)")
    }

    /// What the linters say of the generated package, and nothing else: each tag is explained in
    /// docs/packaging.md ("What lintian and rpmlint say"). A new tag means the skeleton or the
    /// packager changed what a newcomer's first package looks like.
    static let expectedLintian: Set<String> = [
        "dir-or-file-in-opt", "no-changelog", "no-copyright-file", "custom-library-search-path",
        "recursive-privilege-change", "unstripped-binary-or-object", "no-manual-page",
    ]
    static let expectedRPMLint: Set<String> = [
        "dir-or-file-in-opt", "no-signature", "no-changelogname-tag", "no-documentation", "invalid-license",
        "dangerous-command-in-%post", "binary-or-shlib-defines-rpath", "unstripped-binary-or-object",
        "no-manual-page-for-binary", "symlink-should-be-relative",
    ]

    /// The tags of `<letter>: <package>: <tag> ...` (lintian) or `<package>.<arch>: <letter>: <tag> ...` (rpmlint).
    private func lintTags(_ command: [String]) async throws -> Set<String> {
        let result = try await CommandResult.run(command)
        var tags = Set<String>()
        for line in result.stdout.split(separator: "\n") {
            let fields = line.split(separator: " ")
            guard fields.count >= 3, fields[1].hasSuffix(":"), fields[0].hasSuffix(":") else { continue }
            tags.insert(String(fields[2]))
        }
        #expect(!tags.isEmpty, "\(command[0]) printed no tags: \(result.stdout)\(result.stderr)")
        return tags
    }

    private func makeDirectory(_ path: String) throws -> String {
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        return path
    }
}
