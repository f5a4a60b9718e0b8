import Definitions
import Foundation
import OmnibusKit
import Testing

/// The download deadline and minimum rate: where they are set, which setting wins, and what a
/// build says when the deadline trips.
@Suite struct DownloadSettingsTests {
    func resolve(_ flags: BuildSettings.Flags = BuildSettings.Flags(), config: RepositoryConfig = RepositoryConfig(),
                 environment: [String: String] = [:]) throws(SettingsError) -> BuildSettings {
        try SettingsResolution.resolve(flags, config: config, environment: environment)
    }

    @Test func aFlagBeatsTheEnvironmentWhichBeatsTheConfigWhichBeatsTheDefault() throws {
        var config = RepositoryConfig()
        config.downloadTimeout = 300
        config.downloadMinimumRate = 512
        let environment = ["OMNIBUS_DOWNLOAD_TIMEOUT": "120", "OMNIBUS_DOWNLOAD_MIN_RATE": "0"]
        let flags = BuildSettings.Flags(downloadTimeout: 45, downloadMinimumRate: 2048)

        let defaults = try resolve()
        #expect(defaults.downloadTimeout == 600 && defaults.downloadMinimumRate == 1024)
        let configured = try resolve(config: config)
        #expect(configured.downloadTimeout == 300 && configured.downloadMinimumRate == 512)
        let fromEnvironment = try resolve(config: config, environment: environment)
        #expect(fromEnvironment.downloadTimeout == 120 && fromEnvironment.downloadMinimumRate == 0)
        let fromFlags = try resolve(flags, config: config, environment: environment)
        #expect(fromFlags.downloadTimeout == 45 && fromFlags.downloadMinimumRate == 2048)
    }

    @Test func anUnusableNumberInTheEnvironmentIsAnErrorNamingIt() throws {
        for (variable, value) in [("OMNIBUS_DOWNLOAD_TIMEOUT", "ten"), ("OMNIBUS_DOWNLOAD_TIMEOUT", "0"),
                                  ("OMNIBUS_DOWNLOAD_MIN_RATE", "-1"), ("OMNIBUS_DOWNLOAD_MIN_RATE", "1k")] {
            let error = #expect(throws: SettingsError.self) { try resolve(environment: [variable: value]) }
            #expect(try #require(error).description.hasPrefix("\(variable)='\(value)' is not a whole number"))
        }
        // A flag decides, so a variable it overrides is never read.
        #expect(try resolve(BuildSettings.Flags(downloadTimeout: 5), environment: ["OMNIBUS_DOWNLOAD_TIMEOUT": "ten"])
            .downloadTimeout == 5)
    }

    @Test func theConfigFileSetsBothLimitsAndRefusesNonsense() throws {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("omnibus-config-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: root, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: root) }
        let file = root + "/" + RepositoryConfig.fileName
        try "download_timeout: 90\ndownload_min_rate: 0\n".write(toFile: file, atomically: true, encoding: .utf8)
        let config = try RepositoryConfig.load(root: root)
        #expect(config.downloadTimeout == 90 && config.downloadMinimumRate == 0)

        try "download_timeout: 0\ndownload_min_rate: -5\n".write(toFile: file, atomically: true, encoding: .utf8)
        let error = #expect(throws: DefinitionError.self) { try RepositoryConfig.load(root: root) }
        let message = try #require(error).description
        #expect(message.contains("1:19: 'download_timeout' must be a number of seconds, 1 or more, found 0"), "\(message)")
        #expect(message.contains("2:20: 'download_min_rate' must be a number of bytes per second, 0 or more"), "\(message)")
    }

    @Test
    func aBuildAgainstAServerThatNeverAnswersStopsAtTheDownloadTimeout() async throws {
        let repo = try TestRepository("download-timeout")
        let server = try SilentServer()
        let url = "\(server.url)/thing-1.tar.gz"
        try repo.urlSoftware("thing", url: "\(url)")
        try repo.project(dependencies: ["thing"])
        // Without the flag, the attempts would end at the 60 s request timeout with another message.
        let build = try await repo.omnibus(["build", "app", "--download-timeout", "2"])
        #expect(build.status == 1, "\(build.stdout)\n\(build.stderr)")
        #expect(build.stderr.contains("\(url): no complete download within 2 s"), "\(build.stderr)")
        #expect(build.stderr.contains("pass --download-timeout SECONDS (or set OMNIBUS_DOWNLOAD_TIMEOUT, "
            + "or download_timeout: in omnibus.config.yml)"), "\(build.stderr)")
        let temporaries = (try? FileManager.default.contentsOfDirectory(atPath: repo.cacheDir + "/sources/tmp")) ?? []
        #expect(temporaries.isEmpty, "left in <cache>/sources/tmp: \(temporaries)")

        let refused = try await repo.omnibus(["build", "app"], environment: ["OMNIBUS_DOWNLOAD_TIMEOUT": "soon"])
        #expect(refused.status == 2)
        #expect(refused.stderr.contains("OMNIBUS_DOWNLOAD_TIMEOUT='soon' is not a whole number of seconds, 1 or more"))
    }
}
