import Foundation
import Packaging

extension PayloadLayers {
    /// The layers recorded in a project's work dir (`layers/<software>.json`), by record name,
    /// paths made absolute under `installDir`. The order depends only on the records, so the
    /// same records and install dir always give the same payload; a path of no record, or a
    /// record path the install dir no longer has, changes nothing but where that file goes.
    /// No records (a work dir never built, or cleaned) give no layers: one segment.
    /// - Parameter software: the project's software now; records left by software the project
    ///   no longer has (renamed, dropped) would otherwise reorder the payload by history.
    static func recorded(in layersDir: String, installDir: String, software: Set<String>) -> PayloadLayers {
        let names = ((try? FileManager.default.contentsOfDirectory(atPath: layersDir)) ?? []).filter { $0.hasSuffix(".json") }.sorted()
        let root = installDir.hasSuffix("/") ? String(installDir.dropLast()) : installDir
        var layers: [PayloadLayers.Layer] = []
        for name in names {
            guard let data = FileManager.default.contents(atPath: layersDir + "/" + name),
                  let layer = try? JSONDecoder().decode(OmnibusKit.Layer.self, from: data),
                  software.contains(layer.software) else { continue }
            var files: [String: String?] = [:]
            for entry in layer.entries { files[root + "/" + entry.path] = entry.sha256 }
            layers.append(PayloadLayers.Layer(name: layer.software, files: files))
        }
        return PayloadLayers(layers)
    }
}

extension PayloadSegmentStore {
    /// `<cache>/payload-segments`, beside the layer cache.
    static func directory(cacheDir: String) -> String { cacheDir + "/payload-segments" }

    /// The store as `omnibus cache` and `omnibus clean --all` see it: only removing entries.
    static func maintained(cacheDir: String) -> PayloadSegmentStore {
        PayloadSegmentStore(directory: directory(cacheDir: cacheDir), toolIdentity: "", owner: "")
    }
}
