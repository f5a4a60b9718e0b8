import Definitions
import Foundation
import Packaging

/// What `omnibus build` knows that makes its packages reusable: the layer keys of the build and
/// the tool that packages. `omnibus package` has no layer keys and always writes.
struct PackageReuse: Sendable {
    let layerKeys: [String]
    let tool: String
}

extension ProjectRun {
    /// The package cache key of this packaging; nil when it cannot be told (packaging then runs
    /// and reports any problem in its own words).
    func reuseKey(_ reuse: PackageReuse, packaging: ProjectPackaging, signer: GPGPackageSigner?) -> String? {
        let project = packaging.project
        guard let manifest = FileManager.default.contents(atPath: project.installDir + "/version-manifest.json"),
              let info = try? packaging.info(versionManifest: manifest) else { return nil }
        // The flags a build ran with are in the packaged manifest even when no layer changed.
        let conditions = (try? JSONDecoder().decode(VersionManifest.self, from: manifest))?.conditions
        return PackageReuseKey.make(layerKeys: reuse.layerKeys, project: project, info: info,
                                    registeredFormats: workspace.repository.kinds.formats.map { $0.name },
                                    signer: signer, tool: reuse.tool, conditions: conditions)
    }

    /// The cached packages for `key`, put into the output dir; nil when there are none (or they
    /// were damaged, which is said and costs one packaging).
    func reused(_ key: String, project: Project) -> [BuiltPackage]? {
        guard let manifest = FileManager.default.contents(atPath: project.installDir + "/version-manifest.json") else { return nil }
        switch PackageCache(cacheDir: settings.cacheDir).restore(key, into: settings.outputDir, versionManifest: manifest) {
        case .hit(let packages):
            return packages
        case .corrupt(let problem):
            reporter.report(.note("warning: the cached packages \(key) were damaged (\(problem)); they were removed and the packages are written again"))
            return nil
        case .miss:
            return nil
        }
    }

    /// Keeps what packaging just wrote for the next build with the same key.
    func keep(_ packages: [BuiltPackage], as key: String, project: Project, version: String) {
        let cache = PackageCache(cacheDir: settings.cacheDir)
        cache.sweepStale()
        let manifest = settings.outputDir + "/\(project.name)-\(version)-\(project.iteration).version-manifest.json"
        do { try cache.store(key, project: project.name, packages: packages, versionManifestPath: manifest) } catch {
            reporter.report(.note("warning: the packages were not kept in the package cache (the next build writes them again): \(error)"))
        }
    }
}
