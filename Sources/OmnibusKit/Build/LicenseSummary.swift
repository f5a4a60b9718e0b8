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
        }
        return lines.joined(separator: "\n") + "\n"
    }

    /// Software whose definition names no license file, in build order.
    static func withoutLicenseFiles(_ graph: BuildGraph) -> [String] {
        graph.order.filter { $0.software.licenseFiles.isEmpty }.map(\.name)
    }
}
