import Foundation
import OmnibusKit
import Testing

/// What `omnibus new` writes is pinned by golden files; regenerate them with
/// scripts/update-skeleton-snapshots when a template changes on purpose.
@Suite struct SkeletonTests {
    static let snapshots = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .appendingPathComponent("Snapshots/demo").path

    func temporaryDirectory() -> String {
        FileManager.default.temporaryDirectory.appendingPathComponent("skeleton-\(UUID().uuidString)").path
    }

    func files(under root: String) -> [String] {
        (FileManager.default.enumerator(atPath: root)?.allObjects as? [String] ?? []).filter { path in
            var isDirectory: ObjCBool = false
            _ = FileManager.default.fileExists(atPath: root + "/" + path, isDirectory: &isDirectory)
            return !isDirectory.boolValue
        }.sorted()
    }

    @Test func generatedFilesMatchTheSnapshots() throws {
        let directory = temporaryDirectory()
        try SkeletonGenerator(name: "demo").write(to: directory, force: false)
        let generated = files(under: directory)
        #expect(generated == files(under: Self.snapshots), "the skeleton's file list changed: run scripts/update-skeleton-snapshots")
        for path in generated {
            let ours = try String(contentsOfFile: directory + "/" + path, encoding: .utf8)
            let golden = try String(contentsOfFile: Self.snapshots + "/" + path, encoding: .utf8)
            #expect(ours == golden, "\(path) differs from its snapshot: run scripts/update-skeleton-snapshots and review the diff")
            let executable = FileManager.default.isExecutableFile(atPath: directory + "/" + path)
            #expect(executable == path.hasPrefix("PackageScripts/"), "\(path) executable bit")
        }
    }

    @Test func invalidNamesAreRefused() {
        for name in ["Demo", "my_app", "a", "-x", "app name"] {
            #expect(throws: SkeletonGenerator.Failure.self) { try SkeletonGenerator(name: name) }
        }
        #expect(throws: Never.self) { try SkeletonGenerator(name: "my-app2.0+x") }
    }

    @Test func existingNonEmptyDirectoryNeedsForce() throws {
        let directory = temporaryDirectory()
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        try "mine".write(toFile: directory + "/notes.txt", atomically: true, encoding: .utf8)
        let generator = try SkeletonGenerator(name: "demo")
        let error = #expect(throws: SkeletonGenerator.Failure.self) { try generator.write(to: directory, force: false) }
        #expect(error?.description.contains("already exists and is not empty") == true)
        #expect(!FileManager.default.fileExists(atPath: directory + "/Projects/demo.yml"))
        try generator.write(to: directory, force: true)
        #expect(FileManager.default.fileExists(atPath: directory + "/Projects/demo.yml"))
        #expect(try String(contentsOfFile: directory + "/notes.txt", encoding: .utf8) == "mine")
    }

    @Test func packageScriptsParse() throws {
        let directory = temporaryDirectory()
        try SkeletonGenerator(name: "demo").write(to: directory, force: false)
        for script in ["postinst"] {
            let process = Process()
            process.executableURL = URL(fileURLWithPath: "/bin/sh")
            process.arguments = ["-n", directory + "/PackageScripts/demo/" + script]
            try process.run()
            process.waitUntilExit()
            #expect(process.terminationStatus == 0, "\(script) is valid sh")
        }
    }
}
