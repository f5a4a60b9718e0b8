import Definitions
import Graph

/// `<install_dir>/LICENSE`: one place that names every bundled component, its version and
/// license, and where its license texts are (`LICENSES/<software>/`), as distributors of
/// binaries are asked to provide. Built from the version manifest, so it never disagrees with it.
enum LicenseSummary {
    static func text(project: Project, manifest: VersionManifest) -> String {
        var lines = [
            "\(project.name) \(manifest.version)-\(manifest.iteration): \(project.license)",
            "",
            "This package bundles the software below, built from source into \(project.installDir).",
            "The license texts each one ships are in LICENSES/<software>/.",
        ]
        for name in manifest.software.keys.sorted() {
            guard let component = manifest.software[name] else { continue }
            lines.append("")
            lines.append("\(name) \(component.version)")
            lines.append("  license: \(component.license)")
            lines.append("  license files: " + (component.licenseFiles.isEmpty ? "none given" : component.licenseFiles.joined(separator: ", ")))
            lines.append("  source: \(component.source)")
            if let distributions = component.distributions {
                lines.append("  installed Python distributions (texts in LICENSES/\(name)/<distribution>-<version>/):")
                lines += distributions.map { "    " + $0.summaryLine }
            }
            if let packages = component.packages {
                lines.append("  installed by its language steps:")
                lines += packages.map { "    \($0.ecosystem) \($0.name) \($0.version)" + ($0.checksum.map { " (\($0))" } ?? "") }
            }
        }
        return lines.joined(separator: "\n") + "\n"
    }

    /// Software whose definition names no license file and none of whose steps collects the
    /// texts of what it installs, in build order.
    static func withoutLicenseFiles(_ graph: BuildGraph) -> [Software] {
        graph.order.filter { $0.software.licenseFiles.isEmpty && !$0.steps.contains { $0.value.kind.collectsLicenseTexts } }.map(\.software)
    }

    /// Worded once for `build` (all names on one line) and `validate` (one line per definition).
    static func missingLicenseFilesWarning(_ names: [String], project: Project) -> String {
        "warning: no 'license_files' for \(names.joined(separator: ", ")): LICENSE names their license but the package carries "
            + "no license text (set 'require_license_files: true' in \(project.file) to make this an error)"
    }

    static func missingLicenseFilesError(_ names: [String], project: Project) -> String {
        "\(project.file): 'require_license_files' is set, and these software name no 'license_files': \(names.joined(separator: ", "))"
    }

    /// The same refusal, located at one definition's `license:` (for `validate`).
    static func missingLicenseFilesError(_ name: String, project: Project) -> String {
        "no 'license_files' for \(name), and \(project.file) sets 'require_license_files: true' (name the license texts in its source)"
    }
}
