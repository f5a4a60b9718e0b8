import Definitions
import Foundation
import Packaging

/// `omnibus clean`: removes what builds of one project left behind, never anything omnibus did
/// not create and nothing of another project.
package struct ProjectCleaner {
    let project: Project
    let settings: BuildSettings

    package init(project: Project, settings: BuildSettings) {
        self.project = project
        self.settings = settings
    }

    /// Returns what was removed.
    package func clean(all: Bool) throws -> [String] {
        let fm = FileManager.default
        let paths = WorkPaths(workDir: settings.workDir, project: project.name)
        var removed: [String] = []
        for dir in [paths.buildsDir, paths.stagingDir, paths.tmpDir, paths.homeDir, paths.logsDir] where fm.fileExists(atPath: dir) {
            try fm.removeItem(atPath: dir)
            removed.append(dir)
        }
        guard all else { return removed }
        let guardian = InstallDirGuard(installDir: project.installDir, project: project.name, legacyRecordPath: paths.installDirRecord)
        if guardian.isOwned() {
            for name in try fm.contentsOfDirectory(atPath: project.installDir) {
                try fm.removeItem(atPath: project.installDir + "/" + name)
            }
            // Remove the directory too when it is ours to remove (its parent is writable).
            if rmdir(project.installDir) == 0 || !fm.fileExists(atPath: project.installDir) {
                removed.append(project.installDir)
            } else {
                removed.append(project.installDir + "/* (the directory itself is kept)")
            }
        }
        for dir in [paths.layersDir, paths.projectDir] where fm.fileExists(atPath: dir) {
            try fm.removeItem(atPath: dir)
            removed.append(dir)
        }
        // Only this project's layers: the cache is shared with every other project, and the
        // source cache (by checksum) with everyone; `omnibus cache` manages the rest.
        let cache = LayerCache(cacheDir: settings.cacheDir)
        let mine = cache.stored().filter { $0.layer?.project == project.name }
        for entry in mine { cache.remove(entry.key) }
        if !mine.isEmpty { removed.append("\(mine.count) cached layer\(mine.count == 1 ? "" : "s") of \(project.name) in \(cache.directory)") }
        let packages = PackageCache(cacheDir: settings.cacheDir)
        let packaged = packages.stored().filter { $0.project == project.name }
        for entry in packaged { packages.remove(entry.key) }
        if !packaged.isEmpty { removed.append("\(packaged.count) cached package set\(packaged.count == 1 ? "" : "s") of \(project.name) in \(packages.directory)") }
        let segments = PayloadSegmentStore.maintained(cacheDir: settings.cacheDir)
        let kept = segments.entries(of: project.name)
        for entry in kept { segments.remove(entry.key) }
        if !kept.isEmpty { removed.append("\(kept.count) compressed payload segment\(kept.count == 1 ? "" : "s") of \(project.name) in \(segments.directory)") }
        return removed
    }
}
