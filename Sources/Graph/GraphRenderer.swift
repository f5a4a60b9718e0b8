import Foundation

/// Text, Graphviz and JSON views of a resolved graph.
package enum GraphRenderer {
    package enum Format: String, CaseIterable, Sendable {
        case text, dot, json
    }

    package static func render(_ graph: BuildGraph, as format: Format) -> String {
        switch format {
        case .text: text(graph)
        case .dot: dot(graph)
        case .json: json(graph)
        }
    }

    /// A tree from the project down, with shared software marked instead of repeated.
    static func text(_ graph: BuildGraph) -> String {
        var lines = ["\(graph.project.name) (\(graph.project.file))"]
        var shown = Set<String>()
        func walk(_ names: [String], prefix: String) {
            for (index, name) in names.enumerated() {
                let last = index == names.count - 1
                guard let node = graph[name] else { continue }
                let pin = node.overridden ? " (override)" : ""
                let again = shown.contains(name) && !node.dependencies.isEmpty
                lines.append("\(prefix)\(last ? "└── " : "├── ")\(name) \(node.version.version)\(pin)\(again ? " …" : "")")
                guard !again else { continue }
                shown.insert(name)
                walk(node.dependencies, prefix: prefix + (last ? "    " : "│   "))
            }
        }
        walk(graph.roots, prefix: "")
        lines.append("")
        lines.append("build order: " + graph.order.map(\.name).joined(separator: ", "))
        return lines.joined(separator: "\n") + "\n"
    }

    static func dot(_ graph: BuildGraph) -> String {
        func escaped(_ text: String) -> String {
            text.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"")
        }
        func quoted(_ text: String) -> String { "\"" + escaped(text) + "\"" }
        var lines = ["digraph \(quoted(graph.project.name)) {", "  rankdir=LR;", "  node [shape=box];"]
        lines.append("  \(quoted(graph.project.name)) [shape=doubleoctagon];")
        for node in graph.order {
            lines.append("  \(quoted(node.name)) [label=\"\(escaped(node.name))\\n\(escaped(node.version.version))\"];")
        }
        for dependency in graph.roots {
            lines.append("  \(quoted(graph.project.name)) -> \(quoted(dependency));")
        }
        for node in graph.order {
            for dependency in node.dependencies {
                lines.append("  \(quoted(node.name)) -> \(quoted(dependency));")
            }
        }
        lines.append("}")
        return lines.joined(separator: "\n") + "\n"
    }

    struct JSONGraph: Encodable {
        struct Node: Encodable {
            let name: String
            let version: String
            let overridden: Bool
            let source: String
            let dependencies: [String]
            let file: String
        }
        let project: String
        let dependencies: [String]
        let order: [String]
        let software: [Node]
    }

    static func json(_ graph: BuildGraph) -> String {
        let document = JSONGraph(
            project: graph.project.name,
            dependencies: graph.roots,
            order: graph.order.map(\.name),
            software: graph.order.map {
                .init(name: $0.name, version: $0.version.version, overridden: $0.overridden,
                      source: $0.version.source.kindName, dependencies: $0.dependencies, file: $0.software.file)
            })
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        return String(decoding: try! encoder.encode(document), as: UTF8.self) + "\n"
    }
}
