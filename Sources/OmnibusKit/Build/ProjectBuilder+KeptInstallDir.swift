import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// A rebuild with nothing changed keeps the install dir instead of emptying it and merging every
/// layer again (see `InstallDirState` for why a matching survey is enough). All or nothing: when
/// any layer key differs, the install dir is emptied and every layer merged again, as before, so
/// a changed software's removed files never survive and ownership is what the merges say.
extension ProjectBuilder {
    struct Kept {
        let state: Scheduler.State
        /// The record hashed files changed close to its survey; taking it again now spares the next check that.
        let racy: Bool
    }

    /// The build state of an install dir that is exactly the merge of `merged`, or nil for a full build.
    func keptInstallDir(_ merged: [InstallDirState.Merged]) -> Kept? {
        // Without the layer cache every software is built: nothing is kept either.
        guard settings.useLayerCache, let record = InstallDirState.load(paths.installDirState), record.layers == merged else {
            return nil
        }
        // Every layer must still be in the local cache, as a restore would need it (a build after
        // `omnibus cache clear` or with a fresh cache takes the full path, from the remote cache
        // too); its manifest gives packaging and ownership the layer. The tree is not read.
        let cache = LayerCache(cacheDir: settings.cacheDir)
        var layers: [String: Layer] = [:]
        for layer in merged {
            guard let data = FileManager.default.contents(atPath: cache.directory + "/" + layer.key + "/layer.json"),
                  let recorded = try? JSONDecoder().decode(Layer.self, from: data), recorded.cacheKey == layer.key,
                  recorded.software == layer.software else { return nil }
            layers[layer.software] = recorded
        }
        guard record.matches(graph.project.installDir) else { return nil }
        var state = Scheduler.State()
        state.layers = layers
        for layer in merged {
            for entry in layers[layer.software]!.entries where state.owners[entry.path] == nil {
                state.owners[entry.path] = layer.software
            }
            state.restored.append(layer.software)
        }
        reporter.report(.planned(project: graph.project.name, software: merged.map(\.software), jobs: settings.jobs))
        for layer in merged {
            // Counts as a use of the cache entry, as a restore would, for `omnibus cache prune --keep-days`.
            utimes(cache.directory + "/" + layer.key, nil)
            reporter.report(.state(software: layer.software, .cached))
        }
        reporter.report(.note("install dir kept: \(graph.project.installDir) is unchanged since the last build merged the same \(merged.count) layers (\(record.entries) entries surveyed, \(record.racy) hashed); nothing was merged"))
        return Kept(state: state, racy: record.racy > 0)
    }

    /// Writes the version manifest and LICENSE where their bytes differ from what is there;
    /// whether anything was written (the install dir's record is then taken again).
    func writeClosingFiles(manifest: VersionManifest) throws(BuildError) -> Bool {
        let installDir = graph.project.installDir
        var written = false
        do {
            let files = [
                (installDir + "/version-manifest.json", manifest.encoded()),
                (installDir + "/LICENSE", Data(LicenseSummary.text(project: graph.project, manifest: manifest).utf8)),
            ]
            for (path, bytes) in files where FileManager.default.contents(atPath: path) != bytes {
                if !written { try InstallDirState.discard(paths.installDirState) }
                written = true
                try bytes.write(to: URL(fileURLWithPath: path))
            }
        } catch {
            throw .refused("cannot write the version manifest and LICENSE into \(installDir): \(error.localizedDescription)")
        }
        return written
    }

    /// Records the install dir as the merge of `merged`. A failure costs only the next build's
    /// shortcut, so it is a note, not an error.
    func recordInstallDir(_ merged: [InstallDirState.Merged]) {
        guard let state = InstallDirState.take(graph.project.installDir, layers: merged) else {
            reporter.report(.note("warning: cannot survey \(graph.project.installDir); the next build merges every layer again"))
            return
        }
        do { try state.write(to: paths.installDirState) } catch {
            reporter.report(.note("warning: cannot write \(paths.installDirState) (\(error.localizedDescription)); the next build merges every layer again"))
        }
    }
}
