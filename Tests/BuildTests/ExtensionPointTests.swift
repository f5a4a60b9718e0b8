import Archive
import Definitions
import Fetch
import Foundation
import OmnibusKit
import Packaging
import Testing

/// Each extension point takes a new kind as one type plus one registration: these kinds live
/// only in this test target, are added to the standard tables, and a real project uses them
/// end to end (validated, built, packaged) without any change to the tool.
@Suite(.serialized) struct ExtensionPointTests {
    /// `stamp: text`: writes `text` into `{{embedded}}/STAMP`.
    struct StampStep: StepKind {
        static let name = "stamp"
        let text: String

        static func decode(_ body: YAMLValue, _ decoding: inout StepDecoding) -> StampStep? {
            decoding.string(body).map(StampStep.init)
        }

        var summary: String { "stamp" }
        var keyText: String { "stamp(\(String(reflecting: text)))" }

        func perform(in step: any StepExecution) async throws(StepFailure) {
            let path = try step.writablePath("{{embedded}}/STAMP")
            do { try Data(try step.render(text).utf8).write(to: URL(fileURLWithPath: path)) } catch {
                throw .io("cannot write \(path)")
            }
        }
    }

    /// `inline: text`: a source that is a single file holding `text`.
    struct InlineSource: FetchableSource {
        static let name = "inline"
        static let keys = ["inline"]
        static let usage = "inline (the text of a file)"
        static let describedAs = "an inline source"
        let text: String

        static func decode(_ map: MappingReader, _ decoding: inout SourceDecoding) -> InlineSource? {
            decoding.string(map, "inline").map { InlineSource(text: $0.value) }
        }

        var location: String { "inline" }
        var mirrorFile: MirrorFile? { nil }
        var keyText: String { "inline(\(String(reflecting: text)))" }
        func identity() -> String { "inline:\(text.utf8.count)" }

        func fetch(with fetcher: SourceFetcher, events: FetchEventHandler?) async throws(FetchError) -> FetchedSource {
            let path = fetcher.configuration.cacheDirectory + "/inline.txt"
            do {
                try FileManager.default.createDirectory(atPath: fetcher.configuration.cacheDirectory, withIntermediateDirectories: true)
                try Data(text.utf8).write(to: URL(fileURLWithPath: path))
            } catch {
                throw .io(path: path, reason: "\(error)")
            }
            return FetchedSource(content: .file(path: path, fileName: "inline.txt"), identity: identity(), origin: "inline")
        }
    }

    /// `listing`: a package that is the sorted list of paths it would install.
    struct ListingPackager: Packager {
        static let name = "listing"
        static let optionDefaults = ["header": "files"]
        static let defaultCompression = ArchiveCompression.Algorithm.gzip
        let header: String

        init(options: FormatOptions) { header = options["header"] ?? "files" }

        func fileName(for info: PackageInfo) -> String { "\(info.name)-\(info.version).listing" }
        func architectureName(for info: PackageInfo) -> String { "any" }

        func write(_ contents: PackageContents, info: PackageInfo, to sink: any PackageSink, scratchDirectory: String) throws {
            let text = ([header] + contents.entries.map(\.path).sorted()).joined(separator: "\n") + "\n"
            try Array(text.utf8).withUnsafeBytes { try sink.write($0) }
        }
    }

    static var kinds: DefinitionKinds {
        var kinds = Extensions.standard
        kinds.steps.append(StampStep.self)
        kinds.sources.append(InlineSource.self)
        kinds.formats.append(ListingPackager.self)
        return kinds
    }

    struct Silent: BuildReporter {
        func report(_ event: BuildEvent) {}
    }

    @Test func newStepSourceAndFormatWorkEndToEnd() async throws {
        let repo = try TestRepository("extensions")
        try repo.write("Software/note.yml", """
            name: note
            default_version: "1"
            license: MIT
            dependencies: []
            versions:
              "1":
                source: { inline: "from an inline source" }
            build:
              - copy: { from: inline.txt, to: "{{embedded}}/note.txt" }
              - stamp: "stamped for {{project}}"
            """)
        try repo.project(dependencies: ["note"], extra: """
            package:
              formats: [listing, tar]
              listing: { header: "installed files" }
            """)
        let workspace = try Workspace(root: repo.root, kinds: Self.kinds, environment: ["OMNIBUS_LIBRARY": repo.root + "/none"])
        #expect(workspace.validate(project: "app").passed)
        let settings = BuildSettings(jobs: 1, workDir: repo.workDir, cacheDir: repo.cacheDir, outputDir: repo.root + "/pkg")
        let run = ProjectRun(workspace: workspace, settings: settings, reporter: Silent()) { _ in }
        try await run.build("app")

        #expect(try String(contentsOfFile: repo.installDir + "/embedded/note.txt", encoding: .utf8) == "from an inline source")
        #expect(try String(contentsOfFile: repo.installDir + "/embedded/STAMP", encoding: .utf8) == "stamped for app")
        let listing = try String(contentsOfFile: repo.root + "/pkg/app-1.0.0.listing", encoding: .utf8)
        #expect(listing.hasPrefix("installed files\n"))
        #expect(listing.contains("embedded/STAMP"))
        let metadata = try String(contentsOfFile: repo.root + "/pkg/app-1.0.0.listing.metadata.json", encoding: .utf8)
        #expect(metadata.contains(#""format": "listing""#))
    }

    @Test func theStandardTablesDoNotKnowTheTestKinds() throws {
        let repo = try TestRepository("no-extensions")
        try repo.write("Software/note.yml", """
            name: note
            default_version: "1"
            license: MIT
            dependencies: []
            versions:
              "1":
                source: { inline: "x" }
            build:
              - stamp: "x"
            """)
        try repo.project(dependencies: ["note"], extra: "package:\n  formats: [listing]\n")
        let workspace = try Workspace(root: repo.root, environment: ["OMNIBUS_LIBRARY": repo.root + "/none"])
        let problems = workspace.validate().problems.map(\.description).joined(separator: "\n")
        #expect(problems.contains("unknown key 'inline'"), "\(problems)")
        #expect(problems.contains("unknown build step 'stamp'"), "\(problems)")
        #expect(problems.contains("'package.formats' has unknown value 'listing'"), "\(problems)")
    }
}
