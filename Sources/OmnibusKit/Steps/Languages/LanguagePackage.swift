import Definitions
import Foundation

/// One package a language step installed (a Go module, a crate, an npm package, a gem), as the
/// version manifest lists it. Each step adds what it installed to a record in the software's
/// layer, `LICENSES/<software>/language-packages.json`, so a layer restored from the cache still
/// tells what it holds.
package struct LanguagePackage: Codable, Sendable, Equatable, Hashable {
    /// `go`, `cargo`, `npm` or `gem`.
    package let ecosystem: String
    package let name: String
    package let version: String
    /// As the lock file gives it (`h1:…` for Go, `sha256:<hex>`, npm's `sha512-…` integrity); nil
    /// when it has none (a vendored Go module without go.sum).
    package let checksum: String?

    package static func recordPath(software: String) -> String { "LICENSES/\(software)/language-packages.json" }

    /// The record of `software` in an install dir (empty when it has none).
    package static func read(installDir: String, software: String) -> [LanguagePackage] {
        guard let data = FileManager.default.contents(atPath: installDir + "/" + recordPath(software: software)) else { return [] }
        return (try? JSONDecoder().decode([LanguagePackage].self, from: data)) ?? []
    }

    /// Adds `packages` to the software's record in its staging root (sorted, without duplicates,
    /// so the layer's bytes do not depend on the order the steps ran in).
    static func record(_ packages: [LanguagePackage], in step: any StepExecution) throws(StepFailure) {
        guard !packages.isEmpty else { return }
        let path = try step.writablePath(step.installDir + "/" + recordPath(software: step.software))
        let earlier = (FileManager.default.contents(atPath: path)).flatMap { try? JSONDecoder().decode([LanguagePackage].self, from: $0) } ?? []
        let all = Set(earlier + packages).sorted { ($0.ecosystem, $0.name, $0.version) < ($1.ecosystem, $1.name, $1.version) }
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        try FileStep.operation("write the record of installed packages \(path)", step) {
            try FileStep.makeParent(of: path)
            try (encoder.encode(all) + Data("\n".utf8)).write(to: URL(fileURLWithPath: path))
        }
        step.log("# recorded \(packages.count) \(packages[0].ecosystem) package(s) in \(recordPath(software: step.software))")
    }
}
