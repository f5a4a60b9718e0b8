/// A host command a step kind runs (`cmake`), with the system packages that provide it per
/// platform family. A step using it implies them as build dependencies, so a definition with a
/// `cmake:` step need not also write `build_dependencies: { debian: [cmake] }`.
package struct HostTool: Sendable, Equatable {
    /// The command looked up on the software's build PATH.
    package let command: String
    /// Platform family (`debian`, `rhel`) -> package names.
    package let packages: [String: [String]]
    /// Software whose build installs the command into the embedded `bin`, which comes first on
    /// the build PATH (`ruby` for `gem`): a software that depends on one of them, directly or
    /// not, runs that command, and needs no host package for it.
    package let providedBy: [String]

    package init(command: String, packages: [String: [String]], providedBy: [String] = []) {
        self.command = command
        self.packages = packages
        self.providedBy = providedBy
    }

    /// A tool whose package has the same name in every family.
    package init(command: String, package: String, providedBy: [String] = []) {
        self.init(command: command, packages: Dictionary(uniqueKeysWithValues: TargetPlatform.families.map { ($0, [package]) }),
                  providedBy: providedBy)
    }
}
