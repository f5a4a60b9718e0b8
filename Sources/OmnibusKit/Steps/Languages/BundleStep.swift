import Definitions
import Foundation

/// `bundle: {into, without, bundle}`: a Ruby application with a Gemfile.lock and its gems in
/// `vendor/cache` (what `bundle package` writes) copied to `into` and its gems installed there
/// the deployment way: `bundle install --local` with `deployment`, `path vendor/bundle` and
/// `without` set in the application's own `.bundle/config`. The settings are relative to the
/// application, so nothing names the staging root, and the installed application runs with
/// `bundle exec` from its directory. Native extensions build as in the gem step.
struct BundleStep: StepKind {
    static let name = "bundle"
    /// On the host, the command on the build PATH is enough, whichever package brought it.
    var hostTools: [HostTool] {
        [HostTool(command: "bundle", packages: ["debian": ["ruby-bundler"], "rhel": ["rubygem-bundler"]], providedBy: ["ruby"])]
    }
    let into: String
    let without: [String]
    let command: String

    static func decode(_ body: YAMLValue, _ decoding: inout StepDecoding) -> BundleStep? {
        guard let map = decoding.fields(body, allowed: ["into", "without", "bundle"]) else { return nil }
        guard let into = decoding.field(map, "into") else { return nil }
        let without = map.has("without") ? decoding.list(map.value("without"), name: "bundle.without") : ["development", "test"]
        return BundleStep(into: into, without: without, command: decoding.field(map, "bundle", required: false) ?? "bundle")
    }

    var summary: String { "bundle install into \(into)" }
    var keyText: String { "bundle(into: \(Self.quoted(into)), without: \(without), bundle: \(Self.quoted(command)))" }

    func perform(in step: any StepExecution) async throws(StepFailure) {
        let source = try ToolRun.lockedSource("Gemfile.lock", tool: "bundle", unpinned: "its gems are",
                                              howTo: "run 'bundle lock' and 'bundle package' and keep Gemfile.lock and vendor/cache with the source", step)
        let own = try ToolRun.privateDirectory("bundle", step)
        let app = try step.writablePath(into)
        try FileStep.operation("copy the application into \(app)", step) {
            if FileStep.exists(app) { try FileManager.default.removeItem(atPath: app) }
            try FileManager.default.createDirectory(atPath: app, withIntermediateDirectories: true)
            // Not the scratch directories earlier steps of the software made there either
            // (`.omnibus-gem`, `.omnibus-npm`, `omnibus-cmake-build`...): they are no part of the app.
            for name in try FileManager.default.contentsOfDirectory(atPath: source).sorted()
            where ![".bundle", ".git"].contains(name) && !name.hasPrefix(".omnibus-")
                && !(name.hasPrefix("omnibus-") && name.hasSuffix("-build")) {
                try FileManager.default.copyItem(atPath: source + "/" + name, toPath: app + "/" + name)
            }
        }
        step.log("# copied the application (without .git, .bundle and omnibus scratch directories) into \(app)")
        let environment = [
            // The user's ~/.bundle and its caches stay out; the application's .bundle/config is
            // the one configuration bundler reads and writes.
            "BUNDLE_USER_HOME": own + "/home", "BUNDLE_USER_CACHE": own + "/cache", "BUNDLE_USER_CONFIG": own + "/config",
            "BUNDLE_SILENCE_ROOT_WARNING": "1", "BUNDLE_IGNORE_MESSAGES": "true",
            "GEM_HOME": own + "/gem-home", "GEMRC": own + "/gemrc",
        ]
        var settings = [["deployment", "true"], ["path", "vendor/bundle"], ["disable_shared_gems", "true"]]
        if !without.isEmpty { settings.append(["without", try without.map { w throws(StepFailure) in try step.render(w) }.joined(separator: ":")]) }
        let bundle = try step.render(command)
        for setting in settings {
            try await step.run(ToolRun.command([bundle, "config", "set", "--local"] + setting, environment: environment, directory: app))
        }
        try await step.run(ToolRun.command([bundle, "install", "--local"], environment: environment, directory: app))
        try LanguagePackage.record(BundlePackages.read(source + "/Gemfile.lock"), in: step)
    }
}

/// The gems a Gemfile.lock pins from a gem source (its `GEM` section's `specs:`): name and
/// version; lock files before Bundler 2.5 carry no checksums.
enum BundlePackages {
    static func read(_ path: String) -> [LanguagePackage] {
        guard let text = try? String(contentsOfFile: path, encoding: .utf8) else { return [] }
        var packages: [LanguagePackage] = []
        var section = ""
        for line in text.split(separator: "\n", omittingEmptySubsequences: false) {
            if let first = line.first, first != " " { section = String(line); continue }
            // Exactly four spaces: a spec (`    rack (3.0.8)`); six are its dependencies.
            guard section == "GEM", line.hasPrefix("    "), !line.hasPrefix("     ") else { continue }
            let words = line.trimmingCharacters(in: .whitespaces).split(separator: " ", maxSplits: 1)
            guard words.count == 2, words[1].hasPrefix("("), words[1].hasSuffix(")") else { continue }
            packages.append(LanguagePackage(ecosystem: "gem", name: String(words[0]), version: String(words[1].dropFirst().dropLast()), checksum: nil))
        }
        return packages
    }
}
