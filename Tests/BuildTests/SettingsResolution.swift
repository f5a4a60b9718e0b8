import Definitions
import OmnibusKit

/// Settings resolved as a command would, with fixed paths so expectations can name them: the
/// repository at `/repo`, the cache under `/cache`, run from `/here`.
enum SettingsResolution {
    static func resolve(_ flags: BuildSettings.Flags = BuildSettings.Flags(), config: RepositoryConfig = RepositoryConfig(),
                        environment: [String: String] = [:]) throws(SettingsError) -> BuildSettings {
        try BuildSettings.resolve(flags, config: config, repositoryRoot: "/repo",
                                  environment: environment.merging(["XDG_CACHE_HOME": "/cache"]) { $1 },
                                  currentDirectory: "/here")
    }
}
