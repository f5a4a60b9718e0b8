import Definitions
import Foundation
import OmnibusKit
import Testing

/// `--no-jobserver` and `--ccache`: which setting wins, and what omnibus.config.yml accepts.
@Suite struct SchedulingSettingsTests {
    func resolve(_ flags: BuildSettings.Flags = BuildSettings.Flags(), config: RepositoryConfig = RepositoryConfig(),
                 environment: [String: String] = [:]) throws(SettingsError) -> BuildSettings {
        try SettingsResolution.resolve(flags, config: config, environment: environment)
    }

    @Test func aFlagBeatsTheEnvironmentWhichBeatsTheConfigWhichBeatsTheDefault() throws {
        let defaults = try resolve()
        #expect(defaults.jobserver && !defaults.ccache)
        var config = RepositoryConfig()
        config.jobserver = false
        config.ccache = true
        let configured = try resolve(config: config)
        #expect(!configured.jobserver && configured.ccache)
        let fromEnvironment = try resolve(config: config, environment: ["OMNIBUS_JOBSERVER": "yes", "OMNIBUS_CCACHE": "0"])
        #expect(fromEnvironment.jobserver && !fromEnvironment.ccache)
        var flags = BuildSettings.Flags()
        flags.noJobserver = true
        flags.ccache = true
        let fromFlags = try resolve(flags, environment: ["OMNIBUS_JOBSERVER": "1", "OMNIBUS_CCACHE": "0"])
        #expect(!fromFlags.jobserver && fromFlags.ccache)
    }

    @Test func anUnusableSwitchInTheEnvironmentIsAnErrorNamingIt() throws {
        let error = #expect(throws: SettingsError.self) { try resolve(environment: ["OMNIBUS_CCACHE": "maybe"]) }
        #expect(try #require(error).description.contains("OMNIBUS_CCACHE='maybe'"))
    }

    @Test func theConfigFileTakesBothKeys() throws {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("sched-config-\(UUID().uuidString.prefix(8))").path
        try FileManager.default.createDirectory(atPath: root, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: root) }
        try "jobserver: false\nccache: true\n".write(toFile: root + "/" + RepositoryConfig.fileName, atomically: true, encoding: .utf8)
        let config = try RepositoryConfig.load(root: root)
        #expect(config.jobserver == false && config.ccache == true)
    }
}
