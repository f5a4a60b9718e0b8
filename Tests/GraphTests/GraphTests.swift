import Definitions
import Foundation
import Graph
import OmnibusKit
import Testing

/// Graph resolution over real definition files written to a temporary repository.
@Suite struct GraphTests {
    let root: URL

    init() throws {
        root = FileManager.default.temporaryDirectory.appendingPathComponent("graph-\(UUID().uuidString)")
        for dir in ["Projects", "Software"] {
            try FileManager.default.createDirectory(at: root.appendingPathComponent(dir), withIntermediateDirectories: true)
        }
    }

    func software(_ name: String, deps: [String] = [], versions: [String] = ["1.0"]) throws {
        let versionLines = versions.map { version in
            "  \"\(version)\":\n    source: { url: \"https://example.com/\(name)-\(version).tgz\", sha256: \(String(repeating: "a", count: 64)) }\n"
        }.joined()
        let text = "name: \(name)\ndefault_version: \"\(versions[0])\"\nlicense: MIT\ndependencies: [\(deps.joined(separator: ", "))]\nversions:\n\(versionLines)build: []\n"
        try text.write(to: root.appendingPathComponent("Software/\(name).yml"), atomically: true, encoding: .utf8)
    }

    func project(_ deps: [String], overrides: String = "") throws -> Project {
        let text = "name: app\nmaintainer: A <a@example.com>\nhomepage: https://example.com\nversion: \"1\"\ndependencies: [\(deps.joined(separator: ", "))]\n\(overrides)"
        let path = root.appendingPathComponent("Projects/app.yml").path
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        return try ProjectLoader.load(path: path, displayPath: "Projects/app.yml", kinds: Extensions.standard)
    }

    func resolve(_ project: Project) throws(DefinitionError) -> BuildGraph {
        let repository = Repository(root: root.path, librarySoftwareDir: nil, kinds: Extensions.standard)
        return try GraphResolver(searched: repository.softwareDirsDescription) { name in
            guard let path = repository.softwarePath(name) else { return .missing }
            do throws(DefinitionError) { return .found(try repository.loadSoftware(path: path)) } catch { return .invalid(error) }
        }.resolve(project)
    }

    func position(_ graph: BuildGraph, _ name: String) -> Int { graph.order.firstIndex { $0.name == name }! }

    @Test func diamondBuildsSharedDependencyOnceAndFirst() throws {
        try software("base")
        try software("left", deps: ["base"])
        try software("right", deps: ["base"])
        try software("top", deps: ["left", "right"])
        let graph = try resolve(try project(["top"]))
        #expect(graph.order.map(\.name) == ["base", "left", "right", "top"])
        #expect(graph.dependents(of: "base") == ["left", "right"])
        #expect(graph.transitiveDependencies(of: "top") == ["base", "left", "right"])
    }

    @Test func deepChainIsOrderedBottomUp() throws {
        let names = (0..<40).map { "lib\($0)" }
        for (index, name) in names.enumerated() {
            try software(name, deps: index + 1 < names.count ? [names[index + 1]] : [])
        }
        let graph = try resolve(try project(["lib0"]))
        #expect(graph.order.map(\.name) == names.reversed())
    }

    @Test func cycleIsReportedWithItsFullPath() throws {
        try software("a", deps: ["b"])
        try software("b", deps: ["c"])
        try software("c", deps: ["a"])
        let error = #expect(throws: DefinitionError.self) { try resolve(try project(["a"])) }
        #expect(error?.diagnostics.map(\.description) == ["Software/c.yml:4:16: dependency cycle: a -> b -> c -> a"])
    }

    @Test func selfCycleThroughTwoNodes() throws {
        try software("x", deps: ["y"])
        try software("y", deps: ["x"])
        let error = #expect(throws: DefinitionError.self) { try resolve(try project(["y"])) }
        #expect(error?.diagnostics.map(\.message) == ["dependency cycle: y -> x -> y"])
    }

    @Test func overrideSelectsPinnedVersion() throws {
        try software("zlib", versions: ["1.3.1", "1.2.13"])
        try software("app-lib", deps: ["zlib"])
        let graph = try resolve(try project(["app-lib"], overrides: "overrides: { zlib: \"1.2.13\" }\n"))
        #expect(graph["zlib"]?.version.version == "1.2.13")
        #expect(graph["zlib"]?.overridden == true)
        #expect(graph["app-lib"]?.overridden == false)
    }

    @Test func orderIsStableAcrossRuns() throws {
        for name in ["m", "n", "o", "p", "q"] { try software(name) }
        try software("hub", deps: ["q", "m", "p", "n", "o"])
        let first = try resolve(try project(["hub", "o", "m"])).order.map(\.name)
        for _ in 0..<20 {
            #expect(try resolve(try project(["hub", "o", "m"])).order.map(\.name) == first)
        }
        #expect(first == ["q", "m", "p", "n", "o", "hub"])
    }

    @Test func everyDependencyPrecedesItsDependents() throws {
        try software("a")
        try software("b", deps: ["a"])
        try software("c", deps: ["a", "b"])
        try software("d", deps: ["c", "b"])
        try software("e", deps: ["d", "a"])
        let graph = try resolve(try project(["e", "b"]))
        for node in graph.order {
            for dependency in node.dependencies {
                #expect(position(graph, dependency) < position(graph, node.name))
            }
        }
    }

    @Test func rendersDotAndText() throws {
        try software("base")
        try software("top", deps: ["base"])
        let graph = try resolve(try project(["top"]))
        let dot = GraphRenderer.render(graph, as: .dot)
        #expect(dot.contains("\"top\" -> \"base\";"))
        #expect(dot.contains("\"base\" [label=\"base\\n1.0\"];"))
        #expect(GraphRenderer.render(graph, as: .text) == """
            app (Projects/app.yml)
            └── top 1.0
                └── base 1.0

            build order: base, top

            """)
    }
}
