extension HealthReport {
    /// The report for a terminal: a verdict line, then per failing file the software that
    /// installed it and one line per library naming where it resolved and why it fails.
    package func render() -> String {
        var lines: [String] = []
        let failing = failures.count + errors.count
        if passed {
            lines.append("Linkage health check passed: \(filesChecked) ELF files in \(installDir) link only inside it or against allowed base libraries.")
        } else {
            lines.append("Linkage health check FAILED: \(failing) of \(filesChecked) ELF files in \(installDir) have problems.")
        }
        if let summary = baseSystem.summary {
            lines.append("Where it runs: \(summary).")
            lines += baseSystem.floors.map { "  \($0.library) \($0.version): \($0.versionName) needed by \($0.neededBy)" }
        }
        for failure in failures {
            lines.append("")
            lines.append(heading(failure.file, software: failure.software))
            lines += failure.findings.map { "  " + Self.describe($0) }
        }
        if !errors.isEmpty {
            lines.append("")
            lines.append("Files that could not be read as ELF (nothing is known about what they link):")
            for error in errors {
                lines.append("  " + heading(error.file, software: error.software) + ": " + withoutPath(error.message, of: error.file))
            }
        }
        if !exempted.isEmpty {
            lines.append("")
            lines.append("Exempted by the project:")
            for file in exempted {
                let waived = file.findings.count + (file.error == nil ? 0 : 1)
                let suffix = waived == 0 ? "" : " (\(waived) problem\(waived == 1 ? "" : "s") waived)"
                lines.append("  " + heading(file.file, software: file.software) + ": \(file.reason)\(suffix)")
                lines += file.findings.map { "    " + Self.describe($0) }
                if let error = file.error { lines.append("    " + withoutPath(error, of: file.file)) }
            }
        }
        if !failures.isEmpty {
            lines.append("")
            lines.append("To fix: build each library as part of the project so it is installed under \(installDir) and found "
                         + "there (RPATH/RUNPATH with $ORIGIN), or, when every target system provides it, allow it in the "
                         + "project definition; a file that must stay as it is can be exempted with a reason.")
        }
        return lines.joined(separator: "\n") + "\n"
    }

    /// Error messages start with the absolute path; under the file's heading that is noise.
    private func withoutPath(_ message: String, of file: String) -> String {
        let prefix = (installDir == "/" ? "/" : installDir + "/") + file + ": "
        return message.hasPrefix(prefix) ? String(message.dropFirst(prefix.count)) : message
    }

    private func heading(_ file: String, software: String?) -> String {
        software.map { "\(file) (installed by \($0))" } ?? file
    }

    /// One finding as `library => where: why`.
    static func describe(_ finding: Finding) -> String {
        let resolution = finding.resolvedPath ?? "not found"
        var text: String
        switch finding.reason {
        case .outsideInstallDir:
            text = "\(finding.library) => \(resolution): outside the install dir and not on the allow-list"
        case .notFound:
            text = "\(finding.library) => not found"
        case .cannotLoad:
            text = "\(finding.library) => \(resolution): the loader would refuse it"
        case .limitExceeded:
            let target = finding.resolvedPath.flatMap { $0 == finding.library ? nil : " => \($0)" } ?? ""
            text = "\(finding.library)\(target): not fully checked, over a limit of the health check"
        case .searchPathOutsideInstallDir:
            let tag = finding.searchPathTag?.rawValue ?? "search path"
            let entry = finding.library.isEmpty ? "(empty entry)" : finding.library
            let target = finding.resolvedPath.map { $0.isEmpty ? "the working directory" : $0 } ?? "nothing"
            text = "\(tag) \(entry)" + (target == finding.library ? "" : " => \(target)") + ": points outside the install dir"
        }
        if let neededBy = finding.neededBy { text += " (needed by \(neededBy))" }
        if let detail = finding.detail { text += " [\(detail)]" }
        return text
    }
}
