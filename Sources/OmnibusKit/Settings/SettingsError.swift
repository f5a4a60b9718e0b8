/// A setting that cannot be used as given; the command stops before it does anything (exit 2).
package enum SettingsError: Error, Sendable, Equatable, CustomStringConvertible {
    case invalidEnvironment(variable: String, value: String, expected: String)
    /// The remote cache's settings cannot be used (a bad URL, an unreadable key).
    case remoteCache(String)

    package var description: String {
        switch self {
        case .invalidEnvironment(let variable, let value, let expected):
            "\(variable)='\(value)' is not \(expected); correct it or unset it"
        case .remoteCache(let message):
            "remote cache: \(message)"
        }
    }
}
