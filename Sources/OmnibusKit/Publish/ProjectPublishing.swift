import Definitions
import Digest
import Foundation
import Packaging
import Publishing
import Signing

/// `omnibus publish`: the project's packages of its current version and iteration, found in the
/// output directory through their `.metadata.json`, added to the configured repositories.
package struct ProjectPublishing: Sendable {
    package let project: Project
    package let version: String
    package let outputDir: String
    package let settings: PublishSettings
    package let signing: SigningSettings?
    /// `SOURCE_DATE_EPOCH` when set; otherwise the packages' own build epoch dates the indexes.
    package let sourceDateEpoch: Int?

    package init(project: Project, version: String, outputDir: String, settings: PublishSettings, signing: SigningSettings?,
                 sourceDateEpoch: Int?) {
        self.project = project
        self.version = version
        self.outputDir = outputDir
        self.settings = settings
        self.signing = signing
        self.sourceDateEpoch = sourceDateEpoch
    }

    /// What happened in each repository, for the CLI to say.
    package struct Outcome: Sendable {
        package var repository: String
        package var kind: String
        package var summary: PublishSummary
        package var signed: Bool
    }

    package func publish() async throws(RunError) -> [Outcome] {
        guard signing != nil || settings.unsigned else {
            throw .badInput("""
                no signing key: a repository for production must be signed, or apt and dnf refuse it (and users \
                cannot tell your packages from someone else's). Give one with --signing-key KEY, the environment \
                variable OMNIBUS_SIGNING_KEY, or 'signing: {key: KEY}' in omnibus.config.yml; pass --no-sign only \
                for a local test repository
                """)
        }
        let packages = try packagesToPublish()
        let signer = signing.map { RepositorySigner($0.signer(signatureTime: nil)) }
        let epoch = Int64(sourceDateEpoch ?? Int(packages.map(\.metadata.buildEpoch).max() ?? Int64(SourceDateEpoch.fallback)))
        var outcomes: [Outcome] = []
        do {
            if let apt = settings.apt {
                let debs = try paths(of: "deb", in: packages, for: "--apt-repo")
                let summary = try await AptRepository(apt).publish(debs, replace: settings.replace, epoch: epoch, signer: signer)
                outcomes.append(Outcome(repository: apt.path, kind: "apt (\(apt.suite)/\(apt.component))", summary: summary,
                                        signed: signer != nil))
            }
            if let yum = settings.yumPath {
                let rpms = try paths(of: "rpm", in: packages, for: "--yum-repo")
                let summary = try await YumRepository(path: yum).publish(rpms, replace: settings.replace, epoch: epoch, signer: signer)
                outcomes.append(Outcome(repository: yum, kind: "yum", summary: summary, signed: signer != nil))
            }
        } catch {
            switch error {
            case .cancelled: throw .cancelled(.publish)
            case .conflict, .unreadablePackage: throw .badInput(error.description)
            default: throw .failed(.publish, error.description)
            }
        }
        return outcomes
    }

    private struct Found {
        var metadata: PackageMetadata
        var path: String
    }

    /// The project's packages of this version and iteration, each checked against its metadata
    /// (size and SHA-256), so a file changed after packaging is never published by mistake.
    private func packagesToPublish() throws(RunError) -> [Found] {
        let names = ((try? FileManager.default.contentsOfDirectory(atPath: outputDir)) ?? []).sorted()
        var found: [Found] = []
        for name in names where name.hasSuffix(".metadata.json") {
            guard let data = FileManager.default.contents(atPath: outputDir + "/" + name),
                  let metadata = PackageMetadata.decode(data),
                  metadata.name == project.name, metadata.version == version, metadata.iteration == String(project.iteration),
                  ["deb", "rpm"].contains(metadata.format) else { continue }
            let path = outputDir + "/" + metadata.basename
            let actual = try? Data(contentsOf: URL(fileURLWithPath: path), options: .alwaysMapped)
            guard let actual else {
                throw .badInput("\(name) names \(metadata.basename), which is not in \(outputDir): run 'omnibus package \(project.name)' again")
            }
            let sha256 = (try? Digests.hex(.sha256, of: actual)) ?? ""
            guard Int64(actual.count) == metadata.size, sha256 == metadata.sha256 else {
                throw .badInput("\(path) is not the file \(name) describes (size or SHA-256 differ): it changed after packaging; run 'omnibus package \(project.name)' again")
            }
            found.append(Found(metadata: metadata, path: path))
        }
        return found
    }

    private func paths(of format: String, in packages: [Found], for flag: String) throws(PublishError) -> [String] {
        let paths = packages.filter { $0.metadata.format == format }.map(\.path)
        guard !paths.isEmpty else {
            throw .unreadablePackage(path: outputDir, reason: "no .\(format) of \(project.name) \(version)-\(project.iteration) for \(flag) (is '\(format)' in package.formats of \(project.file), and was 'omnibus build \(project.name)' run?)")
        }
        return paths
    }
}
