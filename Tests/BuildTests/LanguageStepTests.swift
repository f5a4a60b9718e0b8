import Foundation
import OmnibusKit
import Testing

/// The language steps (`go`, `cargo`, `npm`, `gem`) on tiny real projects with the real
/// toolchains, through `omnibus build`: the installed program runs, and the same definitions
/// built from a second work dir into the same install dir give the same installed bytes.
@Suite(.serialized) struct LanguageStepTests {
    /// Host tools are looked up where the build's PATH looks (not the test's PATH: rustup's
    /// cargo in ~/.cargo/bin is not the one a build runs).
    static func hostTool(_ name: String) -> Bool {
        ["/usr/local/bin", "/usr/bin", "/bin"].contains { FileManager.default.isExecutableFile(atPath: $0 + "/" + name) }
    }

    /// Builds `app` in a repository `write` fills, then again from another work dir into the
    /// same install dir; returns the first repository (its install dir holds the build).
    static func buildTwice(_ label: String, _ write: (TestRepository) throws -> Void) async throws -> TestRepository {
        let first = try TestRepository(label + "-a")
        try write(first)
        try first.project(dependencies: ["tool"], extra: "package: { formats: [tar] }")
        let build = try await first.omnibus(["build", "app"], environment: ["SOURCE_DATE_EPOCH": "1700000000"])
        try #require(build.status == 0, "\(build.stdout)\n\(build.stderr)")
        let installed = try installedBytes(first.installDir)

        try FileManager.default.removeItem(atPath: first.installDir)
        let second = try TestRepository(label + "-b")
        try write(second)
        try second.project(dependencies: ["tool"], extra: "package: { formats: [tar] }", installDir: first.installDir)
        let again = try await second.omnibus(["build", "app"], environment: ["SOURCE_DATE_EPOCH": "1700000000"])
        try #require(again.status == 0, "\(again.stdout)\n\(again.stderr)")
        let reinstalled = try installedBytes(first.installDir)
        #expect(reinstalled.keys.sorted() == installed.keys.sorted())
        for (path, bytes) in installed where reinstalled[path] != bytes {
            Issue.record("\(path) differs between the two work dirs")
        }
        for needle in [first.workDir, second.workDir] {
            let grep = try await CommandResult.run(["grep", "-rlaF", needle, first.installDir])
            #expect(grep.stdout.isEmpty, "installed files naming the work dir \(needle): \(grep.stdout)")
        }
        // The toolchains' caches in the build dirs are tens of megabytes each.
        try? FileManager.default.removeItem(atPath: (second.root as NSString).deletingLastPathComponent)
        try? FileManager.default.removeItem(atPath: first.workDir + "/app/build")
        return first
    }

    /// Every file and link under `dir`: its bytes, or `-> target` for a link.
    static func installedBytes(_ dir: String) throws -> [String: Data] {
        var result: [String: Data] = [:]
        let fm = FileManager.default
        for relative in try fm.subpathsOfDirectory(atPath: dir) {
            let path = dir + "/" + relative
            if let target = try? fm.destinationOfSymbolicLink(atPath: path) {
                result[relative] = Data("-> \(target)".utf8)
            } else if !ToolCheck.isDirectory(path) {
                result[relative] = try Data(contentsOf: URL(fileURLWithPath: path))
            }
        }
        return result
    }

    /// A clean root gets the packages of the tools the steps run, beside the declared ones.
    @Test func languageStepsImplyTheirToolsAsBuildDependencies() throws {
        let repo = try TestRepository("implied")
        try repo.localSoftware("tool", extra: ["build_dependencies: { debian: [pkg-config] }"], steps: [
            "go: { output: [x] }", "cargo: { bins: [x] }", "npm: {}", "gem: { gems: [x.gem] }", "bundle: { into: /x }",
        ])
        try repo.project(dependencies: ["tool"])
        let graph = try Workspace(root: repo.root, environment: ["OMNIBUS_LIBRARY": repo.root + "/none"]).resolve("app")
        #expect(CleanRootSpec.buildDependencies(of: graph, family: "debian") == ["cargo", "golang-go", "npm", "pkg-config", "ruby", "ruby-bundler"])
        #expect(CleanRootSpec.buildDependencies(of: graph, family: "rhel") == ["cargo", "golang", "npm", "ruby", "rubygem-bundler"])
    }

    /// A project that builds its own Ruby runs that Ruby's gem and bundle (first on the build
    /// PATH): the build host or root needs no Ruby package for them, directly or through another
    /// software.
    @Test func gemAndBundleNeedNoHostRubyWhenTheProjectBuildsRuby() throws {
        let repo = try TestRepository("implied-ruby")
        try repo.localSoftware("ruby", steps: ["mkdir: \"{{embedded}}/bin\""])
        try repo.localSoftware("gems", dependencies: ["ruby"], steps: ["gem: { gems: [x.gem] }"])
        try repo.localSoftware("app-code", dependencies: ["gems"], steps: ["bundle: { into: /x }"])
        try repo.localSoftware("elsewhere", steps: ["gem: { gems: [x.gem] }"])
        try repo.project(dependencies: ["app-code"])
        let workspace = try Workspace(root: repo.root, environment: ["OMNIBUS_LIBRARY": repo.root + "/none"])
        #expect(CleanRootSpec.buildDependencies(of: try workspace.resolve("app"), family: "debian") == [])
        // Without the project's own Ruby the host's is needed.
        try repo.project(dependencies: ["app-code", "elsewhere"])
        let again = try Workspace(root: repo.root, environment: ["OMNIBUS_LIBRARY": repo.root + "/none"])
        #expect(CleanRootSpec.buildDependencies(of: try again.resolve("app"), family: "debian") == ["ruby"])
    }

    /// What the version manifest says the language steps of `tool` installed, one
    /// `ecosystem name version checksum` line each.
    static func manifestPackages(_ repo: TestRepository) throws -> [String] {
        let data = try Data(contentsOf: URL(fileURLWithPath: repo.installDir + "/version-manifest.json"))
        let manifest = try JSONSerialization.jsonObject(with: data) as? [String: Any]
        let tool = (manifest?["software"] as? [String: Any])?["tool"] as? [String: Any]
        return (tool?["packages"] as? [[String: Any]] ?? []).map { package in
            ["ecosystem", "name", "version", "checksum"].map { package[$0] as? String ?? "-" }.joined(separator: " ")
        }
    }

    /// What a language step cannot do as written is reported by `validate`, at the step.
    @Test func validateLocatesLanguageStepsThatCannotWork() async throws {
        let repo = try TestRepository("lang-validate")
        try repo.localSoftware("tool", steps: [
            "go: { packages: [., ./cmd/b] }", "go: { packages: [./a], output: [x, y] }", "cargo: { features: [x] }", "gem: {}",
        ])
        try repo.project(dependencies: ["tool"])
        let validated = try await repo.omnibus(["validate", "app"])
        #expect(validated.status == 2)
        #expect(validated.stderr.contains("Software/tool.yml:9:9: step 'go': package '.' has no name to give its binary: name it with 'output: [name]'"), "\(validated.stderr)")
        #expect(validated.stderr.contains("step 'go': 'output' names 2 binaries for 1 packages: give one name per package, in order"), "\(validated.stderr)")
        #expect(validated.stderr.contains("Software/tool.yml:11:12: step 'cargo' needs 'bins: [name]': the binaries to install"), "\(validated.stderr)")
        #expect(validated.stderr.contains("step 'gem' needs 'gems: [file.gem]'"), "\(validated.stderr)")
    }

    // MARK: go

    @Test(.enabled(if: hostTool("go"), "go is not installed (Debian package golang-go)"))
    func goModuleWithoutDependenciesBuildsReproducibly() async throws {
        let repo = try await Self.buildTwice("go-plain") { repo in
            try repo.write("src/tool/go.mod", "module example.com/hellogo\n\ngo 1.19\n")
            try repo.write("src/tool/main.go", "package main\n\nimport \"fmt\"\n\nfunc main() { fmt.Println(\"hello from go\") }\n")
            try repo.localSoftware("tool", steps: ["go: { output: [hello-go] }"])
        }
        let run = try await CommandResult.run([repo.installDir + "/embedded/bin/hello-go"])
        #expect(run.stdout == "hello from go\n")
        // No cgo: a static binary that needs nothing from the target.
        let dynamic = try await CommandResult.run(["readelf", "-d", repo.installDir + "/embedded/bin/hello-go"]).stdout
        #expect(!dynamic.contains("NEEDED"), "\(dynamic)")
        try? FileManager.default.removeItem(atPath: repo.installDir)
    }

    /// cgo through the compiler wrappers: the C part compiles with the build's compiler and the
    /// binary links libc dynamically, still the same bytes from another work dir.
    @Test(.enabled(if: hostTool("go") && hostTool("gcc"), "go or gcc is not installed (Debian packages golang-go, build-essential)"))
    func goWithCgoBuildsThroughTheCompilerWrappersReproducibly() async throws {
        let repo = try await Self.buildTwice("go-cgo") { repo in
            try repo.write("src/tool/go.mod", "module example.com/hellocgo\n\ngo 1.19\n")
            try repo.write("src/tool/main.go", """
                package main

                // #include <stdio.h>
                // static void hello(void) { puts("hello from C"); fflush(stdout); }
                import "C"

                func main() { C.hello() }

                """)
            try repo.localSoftware("tool", steps: ["go: { output: [hello-cgo], cgo: true }"])
        }
        let binary = repo.installDir + "/embedded/bin/hello-cgo"
        await #expect(try CommandResult.run([binary]).stdout == "hello from C\n")
        let dynamic = try await CommandResult.run(["readelf", "-d", binary]).stdout
        #expect(dynamic.contains("[libc.so.6]"), "\(dynamic)")
        let log = try String(contentsOfFile: repo.workDir + "/app/logs/tool.log", encoding: .utf8)
        #expect(log.contains("CGO_ENABLED=1"))
        try? FileManager.default.removeItem(atPath: repo.installDir)
    }

    /// A module whose dependency is vendored (go.mod requires it, vendor/ holds it).
    static func vendoredGoModule(in repo: TestRepository, vendor: Bool) throws {
        try repo.write("src/tool/go.mod", "module example.com/hello\n\ngo 1.19\n\nrequire example.com/greet v0.1.0\n")
        try repo.write("src/tool/cmd/hello/main.go", """
            package main

            import (
            \t"fmt"

            \t"example.com/greet"
            )

            func main() { fmt.Println(greet.Hello()) }

            """)
        if vendor {
            try repo.write("src/tool/vendor/modules.txt", "# example.com/greet v0.1.0\n## explicit\nexample.com/greet\n")
            try repo.write("src/tool/vendor/example.com/greet/greet.go", "package greet\n\nfunc Hello() string { return \"hello from the vendored module\" }\n")
        }
        try repo.localSoftware("tool", steps: ["go: { packages: [./cmd/hello] }"])
    }

    @Test(.enabled(if: hostTool("go"), "go is not installed (Debian package golang-go)"))
    func goModuleWithVendoredDependencyBuildsReproducibly() async throws {
        let repo = try await Self.buildTwice("go-vendor") { try Self.vendoredGoModule(in: $0, vendor: true) }
        let run = try await CommandResult.run([repo.installDir + "/embedded/bin/hello"])
        #expect(run.stdout == "hello from the vendored module\n")
        #expect(try Self.manifestPackages(repo) == ["go example.com/greet v0.1.0 -"])
        try? FileManager.default.removeItem(atPath: repo.installDir)
    }

    @Test(.enabled(if: hostTool("go"), "go is not installed (Debian package golang-go)"))
    func goModuleNeedingADownloadFailsNamingTheModuleAndTheFix() async throws {
        let repo = try TestRepository("go-offline")
        try Self.vendoredGoModule(in: repo, vendor: false)
        try repo.project(dependencies: ["tool"], extra: "package: { formats: [tar] }")
        let build = try await repo.omnibus(["build", "app"])
        #expect(build.status != 0)
        #expect(build.stderr.contains("go.mod requires example.com/greet v0.1.0, which Go would download, and the software does not allow the network: vendor the modules (run 'go mod vendor' in the source and keep vendor/ with it), or set 'network: true' on the software"),
                "\(build.stdout)\n\(build.stderr)")
        #expect(!FileManager.default.fileExists(atPath: repo.installDir + "/embedded/bin/hello"))
    }

    // MARK: cargo

    @Test(.enabled(if: hostTool("cargo"), "cargo is not installed where builds look (Debian package cargo)"))
    func cargoProgramBuildsLockedOfflineAndReproducibly() async throws {
        let repo = try await Self.buildTwice("cargo") { repo in
            try repo.write("src/tool/Cargo.toml", "[package]\nname = \"hello-rs\"\nversion = \"0.1.0\"\nedition = \"2021\"\n\n[dependencies]\n")
            try repo.write("src/tool/Cargo.lock", """
                # This file is automatically @generated by Cargo.
                # It is not intended for manual editing.
                version = 3

                [[package]]
                name = "hello-rs"
                version = "0.1.0"

                """)
            try repo.write("src/tool/src/main.rs", "fn main() {\n    println!(\"hello from rust\");\n}\n")
            try repo.localSoftware("tool", steps: ["cargo: { bins: [hello-rs] }"])
        }
        let run = try await CommandResult.run([repo.installDir + "/embedded/bin/hello-rs"])
        #expect(run.stdout == "hello from rust\n")
        // The crate itself is the software; a lock without registry crates records nothing.
        #expect(try Self.manifestPackages(repo) == [])
        try? FileManager.default.removeItem(atPath: repo.installDir)
    }

    /// A crate from crates.io as `cargo vendor` leaves it: its directory in vendor/ with a
    /// checksum file whose package hash the lock names. Cargo takes it from there, offline.
    @Test(.enabled(if: hostTool("cargo"), "cargo is not installed where builds look (Debian package cargo)"))
    func cargoProgramWithAVendoredCrateBuildsOfflineAndRecordsTheCrate() async throws {
        let checksum = String(repeating: "ab", count: 32)
        let repo = try await Self.buildTwice("cargo-vendor") { repo in
            try repo.write("src/tool/Cargo.toml", "[package]\nname = \"hello-rs\"\nversion = \"0.1.0\"\nedition = \"2021\"\n\n[dependencies]\ngreet = \"0.1.0\"\n")
            try repo.write("src/tool/src/main.rs", "fn main() {\n    println!(\"{}\", greet::hello());\n}\n")
            try repo.write("src/tool/vendor/greet/Cargo.toml", "[package]\nname = \"greet\"\nversion = \"0.1.0\"\nedition = \"2021\"\n")
            try repo.write("src/tool/vendor/greet/src/lib.rs", "pub fn hello() -> &'static str {\n    \"hello from a vendored crate\"\n}\n")
            try repo.write("src/tool/vendor/greet/.cargo-checksum.json", #"{"files":{},"package":"\#(checksum)"}"#)
            try repo.write("src/tool/Cargo.lock", """
                version = 3

                [[package]]
                name = "greet"
                version = "0.1.0"
                source = "registry+https://github.com/rust-lang/crates.io-index"
                checksum = "\(checksum)"

                [[package]]
                name = "hello-rs"
                version = "0.1.0"
                dependencies = [
                 "greet",
                ]

                """)
            try repo.localSoftware("tool", steps: ["cargo: { bins: [hello-rs] }"])
        }
        await #expect(try CommandResult.run([repo.installDir + "/embedded/bin/hello-rs"]).stdout == "hello from a vendored crate\n")
        #expect(try Self.manifestPackages(repo) == ["cargo greet 0.1.0 sha256:\(checksum)"])
        try? FileManager.default.removeItem(atPath: repo.installDir)
    }

    // MARK: npm

    /// A package whose one dependency is a local tarball (`file:`), packed here with npm, and a
    /// lock file npm writes offline.
    static func npmPackage(in repo: TestRepository, fixtures: String) throws {
        try FileManager.default.createDirectory(atPath: repo.root + "/src/tool/deps", withIntermediateDirectories: true)
        try FileManager.default.copyItem(atPath: fixtures + "/greet-dep-1.0.0.tgz", toPath: repo.root + "/src/tool/deps/greet-dep-1.0.0.tgz")
        for file in ["package.json", "package-lock.json", "bin/hello.js"] {
            try repo.write("src/tool/" + file, try String(contentsOfFile: fixtures + "/hello/" + file, encoding: .utf8))
        }
        try repo.localSoftware("tool", steps: ["npm: {}"])
    }

    static func npmFixtures() async throws -> String {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("omnibus-npmfix-\(UUID().uuidString.prefix(8))").path
        let env = ["npm_config_cache": dir + "/cache", "npm_config_update_notifier": "false"]
        func write(_ relative: String, _ text: String) throws {
            let path = dir + "/" + relative
            try FileManager.default.createDirectory(atPath: (path as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
            try text.write(toFile: path, atomically: true, encoding: .utf8)
        }
        try write("greet-dep/package.json", #"{ "name": "greet-dep", "version": "1.0.0", "main": "index.js" }"# + "\n")
        try write("greet-dep/index.js", "exports.hello = () => 'hello from the local dependency';\n")
        let pack = try await CommandResult.run(["npm", "pack", "--pack-destination", dir], in: dir + "/greet-dep", environment: env)
        try #require(pack.status == 0, "\(pack.stderr)")
        try write("hello/package.json", #"""
            { "name": "hello-npm", "version": "1.0.0", "bin": { "hello-npm": "bin/hello.js" },
              "files": ["bin"],
              "dependencies": { "greet-dep": "file:deps/greet-dep-1.0.0.tgz" } }
            """# + "\n")
        try write("hello/bin/hello.js", "#!/usr/bin/env node\nconsole.log(require('greet-dep').hello());\n")
        try FileManager.default.createDirectory(atPath: dir + "/hello/deps", withIntermediateDirectories: true)
        try FileManager.default.copyItem(atPath: dir + "/greet-dep-1.0.0.tgz", toPath: dir + "/hello/deps/greet-dep-1.0.0.tgz")
        let lock = try await CommandResult.run(["npm", "install", "--package-lock-only", "--offline", "--ignore-scripts", "--no-audit", "--no-fund"],
                                         in: dir + "/hello", environment: env)
        try #require(lock.status == 0, "\(lock.stderr)")
        return dir
    }

    @Test(.enabled(if: hostTool("npm") && hostTool("node"), "npm or node is not installed (Debian package npm)"))
    func npmPackageWithALocalDependencyInstallsOfflineAndReproducibly() async throws {
        let fixtures = try await Self.npmFixtures()
        let repo = try await Self.buildTwice("npm") { try Self.npmPackage(in: $0, fixtures: fixtures) }
        let command = repo.installDir + "/embedded/bin/hello-npm"
        #expect(try FileManager.default.destinationOfSymbolicLink(atPath: command) == "../lib/node_modules/hello-npm/bin/hello.js")
        let run = try await CommandResult.run([command])
        #expect(run.stdout == "hello from the local dependency\n", "\(run.stderr)")
        let packageDir = repo.installDir + "/embedded/lib/node_modules/hello-npm"
        #expect(FileManager.default.fileExists(atPath: packageDir + "/node_modules/greet-dep/index.js"))
        // Only what `npm pack` ships: `files: [bin]` keeps the dependency tarball out.
        #expect(!FileManager.default.fileExists(atPath: packageDir + "/deps"))
        let lock = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: fixtures + "/hello/package-lock.json"))) as? [String: Any]
        let integrity = try #require(((lock?["packages"] as? [String: Any])?["node_modules/greet-dep"] as? [String: Any])?["integrity"] as? String)
        #expect(try Self.manifestPackages(repo) == ["npm greet-dep 1.0.0 \(integrity)"])
        try? FileManager.default.removeItem(atPath: repo.installDir)
    }

    // MARK: gem

    /// A gem built here with `gem build`, kept in the source as a pinned file.
    static func gemFile() async throws -> String {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("omnibus-gemfix-\(UUID().uuidString.prefix(8))").path
        try FileManager.default.createDirectory(atPath: dir + "/lib", withIntermediateDirectories: true)
        try FileManager.default.createDirectory(atPath: dir + "/exe", withIntermediateDirectories: true)
        try """
            Gem::Specification.new do |s|
              s.name = "hello-gem"
              s.version = "0.1.0"
              s.summary = "A test gem"
              s.authors = ["Test"]
              s.license = "MIT"
              s.files = ["lib/hello_gem.rb", "exe/hello-gem"]
              s.bindir = "exe"
              s.executables = ["hello-gem"]
            end

            """.write(toFile: dir + "/hello-gem.gemspec", atomically: true, encoding: .utf8)
        try "module HelloGem\n  def self.hello = \"hello from the gem\"\nend\n".write(toFile: dir + "/lib/hello_gem.rb", atomically: true, encoding: .utf8)
        try "#!/usr/bin/env ruby\nrequire \"hello_gem\"\nputs HelloGem.hello\n".write(toFile: dir + "/exe/hello-gem", atomically: true, encoding: .utf8)
        let build = try await CommandResult.run(["gem", "build", "hello-gem.gemspec"], in: dir, environment: ["SOURCE_DATE_EPOCH": "1700000000"])
        try #require(build.status == 0, "\(build.stderr)")
        return dir + "/hello-gem-0.1.0.gem"
    }

    @Test(.enabled(if: hostTool("gem") && hostTool("ruby"), "ruby is not installed (Debian package ruby)"))
    func gemInstallsLocallyAndReproducibly() async throws {
        let gem = try await Self.gemFile()
        let repo = try await Self.buildTwice("gem") { repo in
            try FileManager.default.createDirectory(atPath: repo.root + "/src/tool/vendor/cache", withIntermediateDirectories: true)
            try FileManager.default.copyItem(atPath: gem, toPath: repo.root + "/src/tool/vendor/cache/hello-gem-0.1.0.gem")
            // The host's Ruby stands in for the embedded one: its own gem dir is outside the
            // install dir, so the step is told where the embedded gems go.
            try repo.localSoftware("tool", steps: [#"gem: { gems: [vendor/cache/hello-gem-0.1.0.gem], install_dir: "{{embedded}}/lib/ruby/gems" }"#])
        }
        let gems = repo.installDir + "/embedded/lib/ruby/gems"
        #expect(FileManager.default.fileExists(atPath: gems + "/specifications/hello-gem-0.1.0.gemspec"))
        let run = try await CommandResult.run([repo.installDir + "/embedded/bin/hello-gem"], environment: ["GEM_PATH": gems, "GEM_HOME": gems])
        #expect(run.stdout == "hello from the gem\n", "\(run.stderr)")
        let sha256 = try await CommandResult.run(["sha256sum", gem]).stdout.prefix(64)
        #expect(try Self.manifestPackages(repo) == ["gem hello-gem 0.1.0 sha256:\(sha256)"])
        try? FileManager.default.removeItem(atPath: repo.installDir)
    }

    /// An application with a Gemfile.lock and its gem in vendor/cache, installed the deployment
    /// way: it runs from its install dir through `bundler/setup`.
    @Test(.enabled(if: hostTool("bundle") && hostTool("ruby"), "bundler is not installed (Debian package ruby-bundler)"))
    func bundleInstallsAnApplicationsLockedGemsLocallyAndReproducibly() async throws {
        let gem = try await Self.gemFile()
        let repo = try await Self.buildTwice("bundle") { repo in
            try FileManager.default.createDirectory(atPath: repo.root + "/src/tool/vendor/cache", withIntermediateDirectories: true)
            try FileManager.default.copyItem(atPath: gem, toPath: repo.root + "/src/tool/vendor/cache/hello-gem-0.1.0.gem")
            try repo.write("src/tool/Gemfile", "source \"https://rubygems.org\"\ngem \"hello-gem\", \"0.1.0\"\n")
            try repo.write("src/tool/Gemfile.lock", """
                GEM
                  remote: https://rubygems.org/
                  specs:
                    hello-gem (0.1.0)

                PLATFORMS
                  ruby

                DEPENDENCIES
                  hello-gem (= 0.1.0)

                BUNDLED WITH
                   2.3.7

                """)
            try repo.write("src/tool/app.rb", "require \"bundler/setup\"\nrequire \"hello_gem\"\nputs HelloGem.hello\n")
            // Scratch directories of earlier steps in the source are no part of the application.
            try repo.localSoftware("tool", steps: [
                #"run: "mkdir -p .omnibus-gem omnibus-cmake-build && touch .omnibus-gem/x omnibus-cmake-build/y""#,
                #"bundle: { into: "{{embedded}}/apps/hello" }"#,
            ])
        }
        let app = repo.installDir + "/embedded/apps/hello"
        #expect(!FileManager.default.fileExists(atPath: app + "/.omnibus-gem"))
        #expect(!FileManager.default.fileExists(atPath: app + "/omnibus-cmake-build"))
        #expect(FileManager.default.fileExists(atPath: app + "/app.rb"))
        let config = try String(contentsOfFile: app + "/.bundle/config", encoding: .utf8)
        #expect(config.contains("BUNDLE_PATH: \"vendor/bundle\"") && config.contains("BUNDLE_DEPLOYMENT: \"true\""), "\(config)")
        let run = try await CommandResult.run(["ruby", "app.rb"], in: app)
        #expect(run.stdout == "hello from the gem\n", "\(run.stderr)")
        #expect(try Self.manifestPackages(repo) == ["gem hello-gem 0.1.0 -"])
        try? FileManager.default.removeItem(atPath: repo.installDir)
    }

    @Test(.enabled(if: hostTool("gem") && hostTool("ruby"), "ruby is not installed (Debian package ruby)"))
    func gemIntoARubyOutsideTheInstallDirFailsSayingWhatToDo() async throws {
        let repo = try TestRepository("gem-outside")
        try FileManager.default.createDirectory(atPath: repo.root + "/src/tool/vendor/cache", withIntermediateDirectories: true)
        try await FileManager.default.copyItem(atPath: try Self.gemFile(), toPath: repo.root + "/src/tool/vendor/cache/hello-gem-0.1.0.gem")
        try repo.localSoftware("tool", steps: ["gem: { gems: [vendor/cache/hello-gem-0.1.0.gem] }"])
        try repo.project(dependencies: ["tool"], extra: "package: { formats: [tar] }")
        let build = try await repo.omnibus(["build", "app"])
        #expect(build.status != 0)
        #expect(build.stdout.contains("outside the install dir \(repo.installDir): build the embedded Ruby first (a dependency), or name the directory with 'install_dir:'")
                || build.stderr.contains("outside the install dir \(repo.installDir): build the embedded Ruby first"),
                "\(build.stdout)\n\(build.stderr)")
    }
}

private enum ToolCheck {
    static func isDirectory(_ path: String) -> Bool {
        var directory: ObjCBool = false
        return FileManager.default.fileExists(atPath: path, isDirectory: &directory) && directory.boolValue
    }
}
