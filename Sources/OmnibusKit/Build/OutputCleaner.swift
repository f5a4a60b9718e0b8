import Foundation
import Packaging

/// `omnibus clean PROJECT --packages`: removes from the output directory the files earlier
/// versions of one project left there (packages, their metadata, signatures, SBOMs, version
/// manifests and build reports) and keeps those of the current version and iteration. A file
/// counts as the project's only when its own content says so (a metadata file, a manifest or a
/// report naming the project), never by its name alone: `app-extra` is not `app`.
struct OutputCleaner {
    let outputDir: String
    let project: String
    /// The version and iteration whose files stay.
    let current: (version: String, iteration: String)

    /// Files that go with a package, by suffix of its file name; `.metadata.json` goes last.
    static let companions = [".asc"] + PackageSBOMs.suffixes + [".metadata.json"]

    func clean() throws -> [String] {
        let fm = FileManager.default
        guard let names = try? fm.contentsOfDirectory(atPath: outputDir) else { return [] }
        var removed: [String] = []
        func remove(_ name: String) throws {
            let path = outputDir + "/" + name
            guard fm.fileExists(atPath: path) else { return }
            try fm.removeItem(atPath: path)
            removed.append(path)
        }
        for name in names.sorted() {
            let path = outputDir + "/" + name
            if name.hasSuffix(".metadata.json") {
                guard let data = fm.contents(atPath: path), let metadata = PackageMetadata.decode(data),
                      metadata.name == project, !isCurrent(metadata.version, metadata.iteration) else { continue }
                // The package named by its own metadata, in this directory only.
                guard !metadata.basename.contains("/") else { continue }
                try remove(metadata.basename)
                for suffix in Self.companions { try remove(metadata.basename + suffix) }
            } else if name.hasSuffix(".version-manifest.json") || name.hasSuffix(".build.json") {
                guard let data = fm.contents(atPath: path),
                      let (owner, version, iteration) = Self.identity(of: data, manifest: name.hasSuffix(".version-manifest.json")),
                      owner == project, !isCurrent(version, iteration) else { continue }
                try remove(name)
            }
        }
        return removed
    }

    private func isCurrent(_ version: String, _ iteration: String) -> Bool {
        version == current.version && iteration == current.iteration
    }

    /// Project, version and iteration a version manifest or a build report names.
    private static func identity(of data: Data, manifest: Bool) -> (String, String, String)? {
        guard let object = try? JSONSerialization.jsonObject(with: data) as? [String: Any] else { return nil }
        let fields = manifest ? object : object["project"] as? [String: Any]
        let owner = manifest ? fields?["project"] as? String : fields?["name"] as? String
        guard let owner, let version = fields?["version"] as? String,
              let iteration = (fields?["iteration"] as? NSNumber)?.stringValue else { return nil }
        return (owner, version, iteration)
    }
}
