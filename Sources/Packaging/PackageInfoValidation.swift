import Definitions
import Foundation

extension PackageInfo {
    /// Every problem that would make a package wrong or unreadable, all at once; empty when fine.
    package func problems() -> [String] {
        var problems: [String] = []
        if !Self.isValidName(name) {
            problems.append("package name '\(name)' is not valid: use lowercase letters, digits, '+', '-' and '.', starting with a letter or digit, at least two characters")
        }
        if let problem = PackageFieldRules.versionProblem(version) { problems.append(problem) }
        if let problem = VersionNames.iterationProblem(iteration) { problems.append(problem) }
        let singleLine: [(String, String)] = [
            ("version", version), ("iteration", iteration), ("maintainer", maintainer), ("homepage", homepage),
            ("summary", summary), ("license", license), ("user", user), ("group", group),
            ("architecture", architecture.machine),
        ]
        for (field, value) in singleLine {
            if let problem = PackageFieldRules.singleLineProblem(field, value) { problems.append(problem) }
        }
        if maintainer.trimmingCharacters(in: .whitespaces).isEmpty {
            problems.append("maintainer is empty: write 'Name <email@example.com>'")
        }
        for (field, value) in [("user", user), ("group", group)] {
            if let problem = PackageFieldRules.accountProblem(field, value) { problems.append(problem) }
        }
        if architecture.machine.isEmpty || architecture.machine.contains(where: { $0.isWhitespace || $0 == "/" }) {
            problems.append("architecture '\(architecture.machine)' is not valid")
        }
        let dir = normalizedInstallDir
        if !dir.hasPrefix("/") || dir == "/" || dir.split(separator: "/").contains(where: { $0 == "." || $0 == ".." }) {
            problems.append("install dir '\(installDir)' must be an absolute path below / without '.' or '..'")
        }
        for path in configFiles {
            if let problem = PackageFieldRules.configFileProblem(path, installDir: normalizedInstallDir) {
                problems.append("config file '\(path)' \(problem)")
            }
        }
        if sourceDateEpoch < 0 || sourceDateEpoch > Int64(UInt32.max) {
            problems.append("SOURCE_DATE_EPOCH \(sourceDateEpoch) is out of range (0 to \(UInt32.max))")
        }
        for (field, list) in [("runtime dependency", runtimeDependencies), ("conflict", conflicts),
                              ("replaces", replaces), ("provides", provides)] {
            for item in list {
                if let problem = PackageFieldRules.dependencyProblem(item) { problems.append("\(field): \(problem)") }
            }
        }
        for (kind, text) in scripts.sorted(by: { $0.key < $1.key }) where !text.isEmpty && !text.hasPrefix("#!") {
            problems.append("the \(kind.rawValue) script must start with an interpreter line such as '#!/bin/sh' (dpkg executes it directly)")
        }
        if let manifest = versionManifest, (try? JSONSerialization.jsonObject(with: manifest)) == nil {
            problems.append("the version manifest is not valid JSON")
        }
        return problems
    }

    /// Throws `PackagingError.invalidInfo` with every problem when there is any.
    package func validate() throws(PackagingError) {
        let found = problems()
        if !found.isEmpty { throw .invalidInfo(found) }
    }

    /// The rule dpkg and rpm both accept, so one name works in every format.
    static func isValidName(_ name: String) -> Bool {
        let scalars = Array(name.unicodeScalars)
        guard scalars.count >= 2 else { return false }
        func lowerAlnum(_ scalar: Unicode.Scalar) -> Bool { ("a"..."z").contains(scalar) || ("0"..."9").contains(scalar) }
        return lowerAlnum(scalars[0]) && scalars.allSatisfy { lowerAlnum($0) || "+-.".unicodeScalars.contains($0) }
    }

}
