import Definitions
import Foundation
import OmnibusKit
import Testing

/// Where `omnibus publish` writes: flags over `publish:` in omnibus.config.yml over defaults,
/// and the config's mistakes reported with their places.
@Suite struct PublishSettingsTests {
    func resolve(_ flags: PublishSettings.Flags, _ config: RepositoryConfig.PublishConfig = .init()) throws(RunError) -> PublishSettings {
        try PublishSettings.resolve(flags, config: config, projectName: "demo", summary: "The demo\nmore text", currentDirectory: "/here")
    }

    func load(_ text: String) throws -> RepositoryConfig {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("omnibus-publish-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: root, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: root) }
        try text.write(toFile: root + "/" + RepositoryConfig.fileName, atomically: true, encoding: .utf8)
        var config = try RepositoryConfig.load(root: root)
        // Paths were made absolute against the temporary root; compare them relative to it.
        let aptPath = config.publish.apt?.path, yumPath = config.publish.yum?.path
        config.publish.apt?.path = aptPath.map { $0.replacingOccurrences(of: root, with: "<root>") }
        config.publish.yum?.path = yumPath.map { $0.replacingOccurrences(of: root, with: "<root>") }
        return config
    }

    @Test func defaultsFromTheProjectConfigBelowFlags() throws {
        let defaults = try resolve(.init(aptRepo: "site/apt"))
        #expect(defaults.apt == .init(path: "/here/site/apt", suite: "stable", component: "main", origin: "demo", label: "demo",
                                      description: "The demo"))
        #expect(defaults.yumPath == nil)

        let config = try load("publish:\n  apt: {path: out/apt, suite: edge, component: tools, origin: Example, label: Tools}\n  yum: {path: out/yum}\n")
        let configured = try resolve(.init(), config.publish)
        #expect(configured.apt == .init(path: "<root>/out/apt", suite: "edge", component: "tools", origin: "Example", label: "Tools",
                                        description: "The demo"))
        #expect(configured.yumPath == "<root>/out/yum")
        let flagged = try resolve(.init(aptRepo: "/srv/apt", yumRepo: "yum", suite: "testing", origin: "Mine"), config.publish)
        #expect(flagged.apt?.path == "/srv/apt" && flagged.apt?.suite == "testing" && flagged.apt?.component == "tools")
        #expect(flagged.apt?.origin == "Mine" && flagged.apt?.label == "Tools" && flagged.yumPath == "/here/yum")
    }

    @Test func nothingToPublishToAndAptOptionsWithoutAnAptRepositoryAreErrors() throws {
        let nowhere = #expect(throws: RunError.self) { try resolve(.init()) }
        #expect(try #require(nowhere).description.contains("--apt-repo DIR and/or --yum-repo DIR"))
        let stray = #expect(throws: RunError.self) { try resolve(.init(yumRepo: "yum", suite: "edge")) }
        #expect(try #require(stray).description.contains("give its directory with --apt-repo DIR"))
        let spaced = #expect(throws: RunError.self) { try resolve(.init(aptRepo: "apt", component: "a b")) }
        #expect(try #require(spaced).description.contains("--component 'a b' must be one word"))
    }

    @Test func theConfigSectionIsCheckedWithPlaces() throws {
        let error = #expect(throws: DefinitionError.self) {
            try load("publish:\n  apt:\n    path: apt\n    suite: a/b\n    compnent: main\n  yam: {path: x}\n")
        }
        let message = try #require(error).description
        #expect(message.contains("4:12: 'publish.apt.suite' must be one word"), "\(message)")
        #expect(message.contains("5:5: unknown key 'publish.apt.compnent' (did you mean 'publish.apt.component'?)"), "\(message)")
        #expect(message.contains("6:3: unknown key 'publish.yam' (did you mean 'publish.yum'?)"), "\(message)")
    }

    /// A suite or component is a directory under dists/: nothing that leaves it, hides it or reads as an option.
    @Test func suitesAndComponentsThatWouldWriteOutsideDistsAreRefused() throws {
        for name in ["..", ".", "-rf", "a/b", "../x", ".hidden", "a b"] {
            for flags in [PublishSettings.Flags(aptRepo: "apt", suite: name), PublishSettings.Flags(aptRepo: "apt", component: name)] {
                let flag = flags.suite != nil ? "--suite" : "--component"
                let error = #expect(throws: RunError.self, "\(flag) '\(name)' was accepted") { try resolve(flags) }
                #expect(error?.description.contains("\(flag) '\(name)' must be one word") == true, "\(String(describing: error))")
            }
            let quoted = "'" + name + "'"
            let config = #expect(throws: DefinitionError.self, "suite \(name) was accepted in the config") {
                try load("publish:\n  apt:\n    path: apt\n    suite: \(quoted)\n    component: \(quoted)\n")
            }
            let message = config?.description ?? ""
            #expect(message.contains("4:13: 'publish.apt.suite' must be one word") && message.contains("5:17: 'publish.apt.component' must be one word"),
                    "\(message)")
        }
        let fine = try resolve(.init(aptRepo: "apt", suite: "bookworm-backports", component: "non-free_firmware+1.0~x"))
        #expect(fine.apt?.suite == "bookworm-backports")
    }
}
