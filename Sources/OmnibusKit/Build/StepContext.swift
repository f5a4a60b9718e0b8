import Definitions
import Foundation

/// Everything a step of one software needs to run.
struct StepContext: Sendable {
    let project: Project
    let softwareName: String
    let definitionDir: String
    /// The unpacked source's top directory; commands run here.
    let buildDir: String
    /// The staging root (DESTDIR), or nil for a live install.
    let destdir: String?
    let environment: BuildEnvironment
    let variables: [String: String]

    func render(_ text: String) throws(BuildFailure.Reason) -> String {
        do {
            return try Interpolation.render(text, values: variables)
        } catch {
            throw .invalidStep("cannot expand '\(text)': \(error)")
        }
    }

    /// Where a path written in a step really goes. Paths inside the install dir are redirected
    /// into the staging root, so file steps stage like `make install` does; relative paths are
    /// relative to the build directory; anything else is refused rather than written on the host.
    func target(_ rawPath: String, forWriting: Bool) throws(BuildFailure.Reason) -> String {
        let path = try render(rawPath)
        guard path.hasPrefix("/") else { return normalized(buildDir + "/" + path) }
        let clean = normalized(path)
        if let destdir, clean == destdir || clean.hasPrefix(destdir + "/") { return clean }
        if clean == buildDir || clean.hasPrefix(buildDir + "/") { return clean }
        let installDir = project.installDir
        if clean == installDir || clean.hasPrefix(installDir + "/") {
            return (destdir ?? "") + clean
        }
        if forWriting {
            throw .invalidStep("'\(path)' is outside the install dir \(installDir) and the build directory; steps only write there")
        }
        return clean
    }

    /// A source path for copy: relative to the build dir, or absolute (read-only use).
    func source(_ rawPath: String) throws(BuildFailure.Reason) -> String {
        let path = try render(rawPath)
        return path.hasPrefix("/") ? normalized(path) : normalized(buildDir + "/" + path)
    }

    private func normalized(_ path: String) -> String {
        var parts: [Substring] = []
        for part in path.split(separator: "/") {
            if part == "." { continue }
            if part == ".." { _ = parts.popLast() } else { parts.append(part) }
        }
        return "/" + parts.joined(separator: "/")
    }
}
