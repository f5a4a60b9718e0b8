import ArgumentParser
import Foundation

/// Where packages go.
struct OutputOptions: ParsableArguments {
    @Option(name: .customLong("output-dir"), help: ArgumentHelp("Where packages and their metadata are written (default: <root>/pkg).", valueName: "dir"))
    var outputDir: String?

    func directory(root: String) -> String {
        guard let outputDir else { return root + "/pkg" }
        return outputDir.hasPrefix("/") ? outputDir : FileManager.default.currentDirectoryPath + "/" + outputDir
    }
}
