import Foundation
import OmnibusKit
import Testing
import Yams

/// The generated CI workflow cannot run here, so its structure is read back with a YAML parser
/// and held to what GitHub Actions needs and what the skeleton's README promises.
@Suite struct WorkflowTests {
    /// Every key read as a string: GitHub's parser keeps `on` a string, where YAML 1.1 makes it true.
    static func mapping(_ node: Node?) -> [(key: String, value: Node)] {
        guard let pairs = node?.mapping else { return [] }
        return pairs.map { ($0.key.string ?? "", $0.value) }
    }

    static func value(_ node: Node?, _ key: String) -> Node? {
        mapping(node).first { $0.key == key }?.value
    }

    let workflow: Node
    let job: Node
    let steps: [Node]
    let environment: [String: String]

    init() throws {
        let text = try #require(try SkeletonGenerator(name: "demo").files.first { $0.path == ".github/workflows/package.yml" }?.content)
        workflow = try #require(try Yams.compose(yaml: text), "the workflow is not YAML")
        job = try #require(Self.value(Self.value(workflow, "jobs"), "package"))
        steps = Self.value(job, "steps")?.sequence.map(Array.init) ?? []
        environment = Dictionary(uniqueKeysWithValues: Self.mapping(Self.value(job, "env")).map { ($0.key, $0.value.string ?? "") })
    }

    func step(named name: String) -> Node? {
        steps.first { Self.value($0, "name")?.string == name }
    }

    func field(_ step: Node?, _ key: String) -> String? {
        Self.value(step, key)?.string
    }

    @Test func hasTheKeysGitHubRequires() throws {
        #expect(Self.mapping(workflow).map(\.key) == ["name", "on", "jobs"])
        #expect(Self.mapping(Self.value(workflow, "on")).map(\.key) == ["push", "workflow_dispatch"])
        #expect(field(job, "runs-on") == "ubuntu-latest")
        #expect(field(job, "container")?.hasPrefix("swift:") == true, "a Swift toolchain image, to build omnibus")
        #expect(!steps.isEmpty)
        for step in steps {
            let keys = Self.mapping(step).map(\.key)
            #expect(keys.contains("run") != keys.contains("uses"), "each step either runs a script or uses an action: \(keys)")
            #expect(Set(keys).isSubset(of: ["name", "id", "if", "run", "uses", "with", "env", "shell"]), "unknown step keys \(keys)")
        }
    }

    /// Only the three actions it needs, at their current major versions.
    @Test func usesKnownActionsOnly() {
        let used = Set(steps.compactMap { field($0, "uses") })
        #expect(used == ["actions/checkout@v4", "actions/cache@v4", "actions/upload-artifact@v4"])
    }

    /// Scripts are valid bash (what Actions runs them with) and take values from the environment,
    /// never from `${{ }}` pasted into the script, which would let a variable inject commands.
    @Test func scriptsParseAndReadOnlyDefinedVariables() throws {
        for step in steps {
            guard let script = field(step, "run") else { continue }
            #expect(!script.contains("${{"), "\(script)")
            let check = Process()
            check.executableURL = URL(fileURLWithPath: "/bin/bash")
            check.arguments = ["-n", "-c", script]
            try check.run()
            check.waitUntilExit()
            #expect(check.terminationStatus == 0, "bash -n: \(script)")
            let used = script.matches(of: /\$\{?(OMNIBUS_[A-Z_]+)/).map { String($0.output.1) }
            for variable in used {
                #expect(environment[variable] != nil, "\(variable) is used but the job does not set it")
            }
        }
    }

    /// Omnibus comes from a release when OMNIBUS_RELEASE_URL is set, else is built from the
    /// repository and ref the user names, with a default ref.
    @Test func omnibusComesFromAReleaseOrFromSource() {
        #expect(environment["OMNIBUS_RELEASE_URL"] == "${{ vars.OMNIBUS_RELEASE_URL }}")
        #expect(environment["OMNIBUS_REPOSITORY"] == "${{ vars.OMNIBUS_REPOSITORY }}")
        #expect(environment["OMNIBUS_REF"] == "${{ vars.OMNIBUS_REF || 'main' }}")
        let release = step(named: "Install the omnibus release")
        #expect(field(release, "if") == "env.OMNIBUS_RELEASE_URL != ''")
        #expect(field(release, "run")?.contains("curl -fsSLo /tmp/omnibus.deb \"$OMNIBUS_RELEASE_URL\"") == true)
        for name in ["Fetch the omnibus source", "Restore the omnibus build", "Build omnibus"] {
            #expect(field(step(named: name), "if") == "env.OMNIBUS_RELEASE_URL == ''", "\(name)")
        }
        let source = step(named: "Fetch the omnibus source")
        #expect(field(source, "id") == "omnibus-source")
        #expect(field(source, "run")?.contains("\"$OMNIBUS_REPOSITORY\" \"$OMNIBUS_REF\"") == true)
        #expect(field(source, "run")?.contains("commit=$(git -C /usr/local/src/omnibus rev-parse HEAD)\" >> \"$GITHUB_OUTPUT\"") == true,
                "the output the build cache key reads")
        let toolCache = Self.value(step(named: "Restore the omnibus build"), "with")
        #expect(field(toolCache, "key")?.contains("${{ steps.omnibus-source.outputs.commit }}") == true)
        #expect(field(toolCache, "path") == "/usr/local/src/omnibus/.build")
    }

    @Test func cachesTheOmnibusCacheKeyedOnTheDefinitions() throws {
        let cache = try #require(Self.value(step(named: "Restore the omnibus cache"), "with"))
        #expect(field(cache, "path") == environment["OMNIBUS_CACHE_DIR"])
        #expect(field(cache, "key") == "omnibus-cache-${{ runner.os }}-${{ hashFiles('Projects/**', 'Software/**', 'omnibus.config.yml', 'omnibus.config.yaml') }}")
        #expect(field(cache, "restore-keys") == "omnibus-cache-${{ runner.os }}-")
        let order = steps.compactMap { field($0, "name") }
        #expect(order.firstIndex(of: "Restore the omnibus cache")! < order.firstIndex(of: "Build demo")!)
    }

    @Test func uploadsPackagesAndOnFailureTheLogs() throws {
        let build = step(named: "Build demo")
        #expect(field(build, "run")?.contains("omnibus build demo") == true)
        let packages = step(named: "Keep the packages")
        #expect(field(packages, "if") == nil, "only after a successful build, the default")
        #expect(field(Self.value(packages, "with"), "path") == "pkg/")
        let logs = step(named: "Keep the build logs")
        #expect(field(logs, "if") == "failure()")
        let workDir = try #require(environment["OMNIBUS_WORK_DIR"])
        #expect(field(Self.value(logs, "with"), "path") == workDir + "/demo/logs/", "omnibus writes logs to <work-dir>/<project>/logs")
        #expect(field(Self.value(logs, "with"), "name") != field(Self.value(packages, "with"), "name"))
    }

    /// Every `${{ }}` names a context or function Actions has, and every step output read exists.
    @Test func expressionsReferToWhatExists() throws {
        let text = try #require(try SkeletonGenerator(name: "demo").files.first { $0.path == ".github/workflows/package.yml" }?.content)
        let expressions = text.matches(of: /\$\{\{ (.*?) \}\}/).map { String($0.output.1) }
        #expect(!expressions.isEmpty)
        let ids = Set(steps.compactMap { field($0, "id") })
        for expression in expressions {
            let root = expression.prefix { $0.isLetter || $0 == "_" }
            #expect(["vars", "steps", "runner", "hashFiles"].contains(String(root)), "\(expression)")
            if root == "steps" {
                let id = expression.dropFirst("steps.".count).prefix { $0 != "." }
                #expect(ids.contains(String(id)), "\(expression) reads a step that has no such id")
            }
        }
    }
}
