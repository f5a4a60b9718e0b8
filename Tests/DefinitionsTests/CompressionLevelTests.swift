import Archive
import Definitions
import Foundation
import OmnibusKit
import Testing

/// `package.<format>.compression_level`: decoded per format, defaulting to the algorithm's
/// usual level, and refused where written when the algorithm cannot take it.
struct CompressionLevelTests {
    /// The project with `line` under `package:` (line 7), or the problems `validate` reports.
    static func load(_ line: String) throws -> Result<Project, DefinitionError> {
        let directory = FileManager.default.temporaryDirectory.path + "/level-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let path = directory + "/app.yml"
        try """
            name: app
            maintainer: A <a@example.com>
            homepage: https://example.com
            version: "1.0"
            dependencies: []
            package:
            \(line)
            """.write(toFile: path, atomically: true, encoding: .utf8)
        return Result { () throws(DefinitionError) in
            try ProjectLoader.load(path: path, displayPath: "app.yml", kinds: Extensions.standard)
        }
    }

    @Test func eachFormatGetsItsOwnLevelOrItsAlgorithmsDefault() throws {
        let project = try Self.load("""
              deb: { compression: zstd, compression_level: 19 }
              rpm: { compression: xz }
              tar: { compression_level: 1 }
            """).get()
        #expect(project.package.options["deb"]?.archiveCompression == ArchiveCompression(.zstd, level: 19))
        #expect(project.package.options["rpm"]?.archiveCompression == ArchiveCompression(.xz, level: 6))
        #expect(project.package.options["tar"]?.archiveCompression == ArchiveCompression(.gzip, level: 1))
        // A format the project does not mention keeps gzip 9, the level packages always had.
        let plain = try Self.load("  formats: [deb]").get()
        #expect(plain.package.options["deb"]?.archiveCompression == ArchiveCompression(.gzip, level: 9))
    }

    @Test(arguments: [
        ("  deb: { compression: gzip, compression_level: 10 }", "app.yml:7:48: 'package.deb.compression_level' is 10, but gzip levels are 1 to 9 (default 9)"),
        ("  rpm: { compression_level: 0 }", "app.yml:7:29: 'package.rpm.compression_level' is 0, but gzip levels are 1 to 9 (default 9)"),
        ("  tar: { compression: zstd, compression_level: 23 }", "app.yml:7:48: 'package.tar.compression_level' is 23, but zstd levels are 1 to 22 (default 3)"),
        ("  sh: { compression: xz, compression_level: -1 }", "app.yml:7:45: 'package.sh.compression_level' is -1, but xz levels are 0 to 9 (default 6)"),
        ("  deb: { compression_level: \"9\" }", "app.yml:7:29: 'package.deb.compression_level' must be a whole number"),
    ])
    func levelsOutsideTheAlgorithmsRangeAreRefusedWhereWritten(line: String, expected: String) throws {
        guard case .failure(let error) = try Self.load(line) else {
            Issue.record("accepted: \(line)")
            return
        }
        let found = error.diagnostics.map(\.description)
        #expect(found.contains { $0.hasPrefix(expected) }, "\(found)")
    }
}
