import Definitions
import Digest
import Foundation
import Packaging

/// The key of a build's packages in the package cache: everything their bytes depend on.
///
/// - the layer keys of the build, in build order (they fix the install dir's contents, as the
///   layer cache relies on), and the version manifest written beside them (its `conditions`,
///   the flags and platform facts, are not fixed by the layer keys, so they are keyed too);
/// - the whole project, field by field (package section, formats and their options, `files:`,
///   users and groups, iteration, exclude, install dir...), read by reflection so a setting added
///   later is part of the key without anyone remembering to add it;
/// - what packaging hands the formats (`PackageInfo`: version, epoch, rendered maintainer
///   scripts, platform), and the bytes of every `files:` source;
/// - the signing key's fingerprints and the signature time (signatures are dated at the source
///   date epoch, `GPGPackageSigner.dated`, so a signed package is a function of these);
/// - the registered formats and the tool's identity (a new omnibus binary may write other bytes).
enum PackageReuseKey {
    /// Nil when a `files:` source cannot be read: packaging then runs and says why.
    static func make(layerKeys: [String], project: Project, info: PackageInfo, registeredFormats: [String],
                     signer: GPGPackageSigner?, tool: String, conditions: VersionManifest.Conditions? = nil) -> String? {
        var lines = ["omnibus package reuse 1", "tool: " + tool]
        lines += layerKeys.map { "layer: " + $0 }
        // Only when there are any, so other projects' keys stay what they were.
        if let conditions {
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.sortedKeys]
            guard let text = try? encoder.encode(conditions) else { return nil }
            lines.append("conditions: " + String(decoding: text, as: UTF8.self))
        }
        lines.append("formats registered: " + registeredFormats.joined(separator: ","))
        lines.append("project: " + CanonicalText.of(project))
        lines.append("package info: " + CanonicalText.of(info))
        for entry in info.extraEntries {
            guard case .file(let source) = entry.kind else { continue }
            guard let digest = try? Digests.hex(.sha256, ofFile: source) else { return nil }
            lines.append("file source: \(entry.path) sha256:\(digest)")
        }
        if let signer {
            lines.append("signing: \(signer.key.fingerprint) \(signer.key.signingFingerprint) at \(signer.signer.signatureTime.map(String.init) ?? "now")")
        } else {
            lines.append("signing: none")
        }
        return try? Digests.hex(.sha256, of: Array(lines.joined(separator: "\n").utf8))
    }
}

/// A value written out in full, the same in every process: every stored field by name,
/// dictionaries and sets in sorted order (Swift's own order changes from run to run), data by
/// its digest.
enum CanonicalText {
    static func of(_ value: Any) -> String {
        if let data = value as? Data { return "data(sha256:\((try? Digests.hex(.sha256, of: Array(data))) ?? "?"))" }
        let mirror = Mirror(reflecting: value)
        let type = String(reflecting: Swift.type(of: value))
        switch mirror.displayStyle {
        case .dictionary?:
            let pairs = mirror.children.map { child -> String in
                let pair = Array(Mirror(reflecting: child.value).children)
                return pair.count == 2 ? of(pair[0].value) + ": " + of(pair[1].value) : of(child.value)
            }
            return "[" + pairs.sorted().joined(separator: ", ") + "]"
        case .set?:
            return "{" + mirror.children.map { of($0.value) }.sorted().joined(separator: ", ") + "}"
        case .optional?:
            return mirror.children.first.map { of($0.value) } ?? "nil"
        case .collection?:
            return "[" + mirror.children.map { of($0.value) }.joined(separator: ", ") + "]"
        case .enum?:
            guard let payload = mirror.children.first else { return type + "." + String(describing: value) }
            return type + "." + (payload.label ?? "") + "(" + of(payload.value) + ")"
        case .struct?, .class?, .tuple?:
            return type + "(" + mirror.children.map { ($0.label ?? "") + ": " + of($0.value) }.joined(separator: ", ") + ")"
        default:
            return type + ":" + String(reflecting: value)
        }
    }
}
