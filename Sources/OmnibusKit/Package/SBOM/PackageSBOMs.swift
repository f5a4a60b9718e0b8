import Foundation
import Packaging

/// The SBOMs written next to each package: `<package file>.spdx.json` (SPDX 2.3) and
/// `<package file>.cdx.json` (CycloneDX 1.5). One pair per package file rather than per project
/// version, because the root of each is the package file itself (its name, its SHA-256, its
/// format and architecture): a deb and an rpm of one version are different artefacts, and a
/// consumer holding one file finds its SBOM by appending a suffix.
enum PackageSBOMs {
    static let suffixes = [".spdx.json", ".cdx.json"]

    /// The two documents for a package, by file name.
    static func documents(for package: PackageMetadata, project: (license: String, homepage: String),
                          manifest: VersionManifest) throws -> [(fileName: String, data: Data)] {
        let subject = SBOMSubject(package: package, license: project.license, homepage: project.homepage, manifest: manifest,
                                  epoch: package.buildEpoch, toolVersion: OmnibusVersion.current)
        return [(package.basename + ".spdx.json", try SPDXDocument.make(subject).encoded()),
                (package.basename + ".cdx.json", try CycloneDXDocument.make(subject).encoded())]
    }
}
