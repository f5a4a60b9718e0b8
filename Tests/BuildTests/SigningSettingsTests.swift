import Definitions
import Foundation
import OmnibusKit
import Testing

/// Where the signing key and its passphrase come from, and what `signing:` in the config accepts.
@Suite struct SigningSettingsTests {
    func resolve(_ flags: BuildSettings.Flags = BuildSettings.Flags(), config: RepositoryConfig = RepositoryConfig(),
                 environment: [String: String] = [:]) throws -> SigningSettings? {
        try SettingsResolution.resolve(flags, config: config, environment: environment).signing
    }

    @Test func aFlagBeatsTheEnvironmentWhichBeatsTheConfig() throws {
        var config = RepositoryConfig()
        config.signing = .init(key: "config@example.com", passphraseFile: "/repo/secret", gnupgHome: "/repo/gnupg")
        let environment = ["OMNIBUS_SIGNING_KEY": "env@example.com", "OMNIBUS_SIGNING_PASSPHRASE_FILE": "pass.txt"]
        var flags = BuildSettings.Flags()
        flags.signingKey = "flag@example.com"

        #expect(try resolve() == nil)
        #expect(try resolve(config: config) == SigningSettings(key: "config@example.com", passphraseFile: "/repo/secret",
                                                                gnupgHome: "/repo/gnupg", source: "signing.key in omnibus.config.yml"))
        // The passphrase file from the environment is relative to the current directory.
        #expect(try resolve(config: config, environment: environment)
                == SigningSettings(key: "env@example.com", passphraseFile: "/here/pass.txt", gnupgHome: "/repo/gnupg",
                                   source: "OMNIBUS_SIGNING_KEY"))
        #expect(try resolve(flags, config: config, environment: environment)
                == SigningSettings(key: "flag@example.com", passphraseFile: "/here/pass.txt", gnupgHome: "/repo/gnupg",
                                   source: "--signing-key"))
        // Empty values mean "not given".
        #expect(try resolve(config: config, environment: ["OMNIBUS_SIGNING_KEY": "", "OMNIBUS_SIGNING_PASSPHRASE_FILE": ""])?.key
                == "config@example.com")
    }

    @Test func noSignTurnsEveryConfiguredKeyOff() throws {
        var config = RepositoryConfig()
        config.signing = .init(key: "config@example.com")
        var flags = BuildSettings.Flags()
        flags.noSign = true
        #expect(try resolve(flags, config: config, environment: ["OMNIBUS_SIGNING_KEY": "env@example.com"]) == nil)
    }

    @Test func theConfigSectionIsReadWithPathsAgainstTheRepository() throws {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("omnibus-signing-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: root, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: root) }
        let file = root + "/" + RepositoryConfig.fileName
        try "signing:\n  key: 0123456789ABCDEF\n  passphrase_file: secrets/pass\n  gnupg_home: /srv/gnupg\n"
            .write(toFile: file, atomically: true, encoding: .utf8)
        #expect(try RepositoryConfig.load(root: root).signing
                == .init(key: "0123456789ABCDEF", passphraseFile: root + "/secrets/pass", gnupgHome: "/srv/gnupg"))

        for (text, expected) in [("signing:\n  passphrase_file: x\n", "missing required key 'signing.key'"),
                                 ("signing:\n  key: \"\"\n", "'signing.key' must be a gpg key id"),
                                 ("signing:\n  key: K\n  passphrase: hunter2\n", "passphrase")] {
            try text.write(toFile: file, atomically: true, encoding: .utf8)
            let error = #expect(throws: DefinitionError.self) { try RepositoryConfig.load(root: root) }
            #expect(try #require(error).description.contains(expected), "\(String(describing: error))")
        }
    }
}
