import Definitions
import Foundation
import OmnibusKit

/// A packaging repository in a temporary directory, for definitions written by a test.
final class ScratchRepository: @unchecked Sendable {
    let root: String

    init() throws {
        root = FileManager.default.temporaryDirectory.appendingPathComponent("definitions-\(UUID().uuidString)").path
        for directory in ["Projects", "Software"] {
            try FileManager.default.createDirectory(atPath: root + "/" + directory, withIntermediateDirectories: true)
        }
    }

    deinit { try? FileManager.default.removeItem(atPath: root) }

    /// A software definition that loads without a problem; tests append what they check.
    static func validSoftware(_ name: String = "x") -> String {
        """
        name: \(name)
        default_version: "1"
        license: MIT
        versions:
          "1":
            source: { url: "https://example.com/\(name)-1.tar.gz", sha256: \(String(repeating: "a", count: 64)) }
        build: []

        """
    }

    @discardableResult
    func write(_ relative: String, _ text: String) throws -> String {
        try write(relative, Data(text.utf8))
    }

    @discardableResult
    func write(_ relative: String, _ data: Data) throws -> String {
        let path = root + "/" + relative
        try data.write(to: URL(fileURLWithPath: path))
        return path
    }

    /// Loads `Software/<name>.yml` as the tool does, shown as `Software/<name>.yml`.
    func loadSoftware(_ name: String = "x") throws(DefinitionError) -> Software {
        try SoftwareLoader.load(path: "\(root)/Software/\(name).yml", displayPath: "Software/\(name).yml",
                                kinds: Extensions.standard)
    }

    /// The error loading `Software/<name>.yml` gives, or nil when it loads.
    func softwareError(_ name: String = "x") -> DefinitionError? {
        do throws(DefinitionError) {
            _ = try loadSoftware(name)
            return nil
        } catch {
            return error
        }
    }

    func validate() throws -> ValidationReport {
        try Workspace(root: root, environment: ["OMNIBUS_LIBRARY": "/nonexistent"]).validate()
    }
}
