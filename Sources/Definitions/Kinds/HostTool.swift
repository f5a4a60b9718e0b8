/// A host command a step kind runs (`cmake`), with the system packages that provide it per
/// platform family. A step using it implies them as build dependencies, so a definition with a
/// `cmake:` step need not also write `build_dependencies: { debian: [cmake] }`.
package struct HostTool: Sendable, Equatable {
    /// The command looked up on the software's build PATH.
    package let command: String
    /// Platform family (`debian`, `rhel`) -> package names.
    package let packages: [String: [String]]

    package init(command: String, packages: [String: [String]]) {
        self.command = command
        self.packages = packages
    }

    /// A tool whose package has the same name in every family.
    package init(command: String, package: String) {
        self.init(command: command, packages: Dictionary(uniqueKeysWithValues: TargetPlatform.families.map { ($0, [package]) }))
    }
}
