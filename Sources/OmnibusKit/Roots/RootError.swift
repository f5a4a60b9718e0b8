/// Why a clean root could not be made, extracted or entered; each says what to do.
package enum RootError: Error, Sendable, CustomStringConvertible, Equatable {
    /// Neither mmdebstrap nor debootstrap is installed.
    case noBootstrapTool
    /// Neither bwrap nor unshare is installed.
    case noSandboxTool
    case bootstrapFailed(platform: String, command: String, status: Int32, lastLines: String)
    case io(String)
    /// `build_dependencies` (declared or implied by steps) the host lacks, all of them at once,
    /// and the step commands not on their build PATH.
    case missingHostPackages([String], commands: [String] = [])
    case cancelled

    package var description: String {
        switch self {
        case .noBootstrapTool:
            "making a clean root needs mmdebstrap (or debootstrap): apt-get install mmdebstrap"
        case .noSandboxTool:
            "running steps in a clean root needs bubblewrap (or unshare from util-linux): apt-get install bubblewrap"
        case .bootstrapFailed(let platform, let command, let status, let lastLines):
            "making the \(platform) root failed (exit \(status)): \(command)\n\(lastLines)\nCheck that the archive is reachable and that every build dependency exists in that release."
        case .io(let text):
            text
        case .cancelled:
            "interrupted"
        case .missingHostPackages(let names, let commands):
            "the host lacks build dependencies the software definitions declare or their steps imply: \(names.joined(separator: ", "))"
                + (commands.isEmpty ? "" : "\n  not on the build PATH: \(commands.joined(separator: ", "))")
                + "\n  install them with: apt-get install \(names.joined(separator: " "))\n  or build in a clean root with --platform"
        }
    }
}
