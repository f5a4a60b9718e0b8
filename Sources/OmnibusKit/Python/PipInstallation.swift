import Definitions
import Digest
import Foundation

/// What a pip step does after pip: finds the `.dist-info` directories pip wrote, lists the
/// sources to byte-compile, then adds the bytecode to each RECORD, points console scripts at
/// the embedded interpreter, copies licence texts into `LICENSES/<software>/` and writes the
/// record of installed distributions the version manifest reads.
struct PipInstallation {
    /// The install dir as this step writes it (the staging copy, or the install dir itself).
    let root: String
    let installDir: String
    let interpreter: String
    let software: String
    let requirements: PipRequirements
    private var distributions: [DistInfo] = []

    init(root: String, installDir: String, interpreter: String, software: String, requirements: PipRequirements) {
        self.root = root
        self.installDir = installDir
        self.interpreter = interpreter
        self.software = software
        self.requirements = requirements
    }

    /// Every `*.dist-info` in a `site-packages` (or `dist-packages`) below `root`, sorted.
    static func distInfoDirectories(in root: String) -> [String] {
        guard let walker = FileManager.default.enumerator(atPath: root) else { return [] }
        var found: [String] = []
        while let relative = walker.nextObject() as? String {
            guard relative.hasSuffix(".dist-info") else { continue }
            let parent = ((relative as NSString).deletingLastPathComponent as NSString).lastPathComponent
            if parent == "site-packages" || parent == "dist-packages" {
                found.append(root + "/" + relative)
                walker.skipDescendants()
            }
        }
        return found.sorted()
    }

    /// Reads the installed distributions; returns the Python sources to compile.
    mutating func load(_ directories: [String]) throws(StepFailure) -> [String] {
        var sources: [String] = []
        for directory in directories {
            let info: DistInfo
            do { info = try DistInfo(path: directory) } catch {
                throw .io("cannot read \(directory)/METADATA: \(error.localizedDescription)")
            }
            distributions.append(info)
            sources += info.installedFiles.filter { $0.hasSuffix(".py") && StepContext.isInside($0, root) }
        }
        return sources.sorted()
    }

    /// Everything after compiling; returns lines for the build log.
    func finish() throws(StepFailure) -> [String] {
        var lines: [String] = []
        var records: [InstalledDistribution] = []
        for var info in distributions {
            addBytecode(to: &info)
            lines += try rewriteScripts(of: &info)
            do { try Data(info.recordText.utf8).write(to: URL(fileURLWithPath: info.path + "/RECORD")) } catch {
                throw .io("cannot rewrite \(info.path)/RECORD: \(error.localizedDescription)")
            }
            let licenseFiles = try copyLicenses(of: info)
            let pinned = requirements.file(name: info.name, version: info.version)
            let files = info.installedFiles.filter { StepContext.isInside($0, root) }
            let libraries = files.filter { path in
                path.split(separator: "/").dropLast().last.map { $0.hasSuffix(".libs") } == true && Self.isSharedObject(path)
            }
            let extensions = files.filter { Self.isSharedObject($0) && !libraries.contains($0) }
            let record = InstalledDistribution(
                name: info.name, version: info.version, license: info.license, file: pinned?.file.fileName ?? "unknown",
                checksum: pinned.map { "sha256:\($0.sha256)" } ?? "unknown", licenseFiles: licenseFiles,
                bundledLibraries: libraries.map { ($0 as NSString).lastPathComponent }.sorted(),
                nativeExtensions: extensions.map { ($0 as NSString).lastPathComponent }.sorted(),
                staticallyLinked: extensions.sorted().flatMap(StaticallyLinkedLibraries.found(in:)).reduce(into: []) { if !$0.contains($1) { $0.append($1) } })
            records.append(record)
            lines.append(record.summaryLine)
        }
        try writeRecord(records)
        return lines
    }

    static func isSharedObject(_ path: String) -> Bool {
        let name = (path as NSString).lastPathComponent
        return name.hasSuffix(".so") || name.contains(".so.")
    }

    /// Lists the `.pyc` files compileall wrote, so `pip uninstall` removes them too.
    private func addBytecode(to info: inout DistInfo) {
        var added: [[String]] = []
        for row in info.record {
            guard let path = row.first, path.hasSuffix(".py") else { continue }
            let absolute = DistInfo.normalized(info.base + "/" + path)
            let directory = (absolute as NSString).deletingLastPathComponent + "/__pycache__"
            let stem = ((absolute as NSString).lastPathComponent as NSString).deletingPathExtension
            let compiled = ((try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? [])
                .filter { $0.hasPrefix(stem + ".") && $0.hasSuffix(".pyc") && $0.split(separator: ".").count == 3 }.sorted()
            let relativeDirectory = (path as NSString).deletingLastPathComponent
            for name in compiled {
                added.append([(relativeDirectory.isEmpty ? "" : relativeDirectory + "/") + "__pycache__/" + name, "", ""])
            }
        }
        let existing = Set(info.record.compactMap(\.first))
        info.record += added.filter { !existing.contains($0[0]) }
    }

    /// Console scripts pip wrote in a `bin` directory start with the interpreter pip ran as, or
    /// with a `/bin/sh` trampoline when that path is long; both become `#!<interpreter>`.
    private func rewriteScripts(of info: inout DistInfo) throws(StepFailure) -> [String] {
        var lines: [String] = []
        let shebang = "#!" + interpreter
        // The kernel reads at most 127 bytes of a #! line; pip's trampoline is right then.
        guard shebang.utf8.count < 128 else { return ["\(interpreter) is too long for a #! line; scripts keep pip's /bin/sh launcher"] }
        for (index, row) in info.record.enumerated() {
            guard let path = row.first else { continue }
            let absolute = DistInfo.normalized(info.base + "/" + path)
            guard ((absolute as NSString).deletingLastPathComponent as NSString).lastPathComponent == "bin",
                  StepContext.isInside(absolute, root),
                  let data = FileManager.default.contents(atPath: absolute), data.starts(with: Array("#!".utf8)),
                  let text = String(data: data, encoding: .utf8) else { continue }
            var body = text.split(separator: "\n", maxSplits: 1, omittingEmptySubsequences: false)
            guard body.count == 2 else { continue }
            var rest = String(body[1])
            if body[0] == "#!/bin/sh", rest.hasPrefix("'''exec' ") {
                let trampoline = rest.split(separator: "\n", maxSplits: 2, omittingEmptySubsequences: false)
                guard trampoline.count == 3, trampoline[1] == "' '''" else { continue }
                rest = String(trampoline[2])
            } else if !body[0].contains("python") {
                continue
            }
            body = [Substring(shebang), Substring(rest)]
            let rewritten = Data(body.joined(separator: "\n").utf8)
            guard rewritten != data else { continue }
            do { try rewritten.write(to: URL(fileURLWithPath: absolute)) } catch {
                throw .io("cannot rewrite \(absolute): \(error.localizedDescription)")
            }
            chmod(absolute, 0o755)
            info.record[index] = [path, Self.recordHash(rewritten), String(rewritten.count)]
            lines.append("\((absolute as NSString).lastPathComponent): \(shebang)")
        }
        return lines
    }

    /// `sha256=<urlsafe base64, unpadded>`, as RECORD writes hashes.
    static func recordHash(_ data: Data) -> String {
        let hex = (try? Digests.hex(.sha256, of: data)) ?? ""
        var bytes: [UInt8] = []
        var index = hex.startIndex
        while index < hex.endIndex {
            let next = hex.index(index, offsetBy: 2)
            bytes.append(UInt8(hex[index..<next], radix: 16) ?? 0)
            index = next
        }
        let base64 = Data(bytes).base64EncodedString()
            .replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_").replacingOccurrences(of: "=", with: "")
        return "sha256=" + base64
    }

    /// Copies the licence texts of a distribution (its `License-File`s, `licenses/` and the
    /// LICENSE/COPYING/NOTICE files in `.dist-info`) into `LICENSES/<software>/<name>-<version>/`;
    /// returns their paths relative to the install dir.
    private func copyLicenses(of info: DistInfo) throws(StepFailure) -> [String] {
        let fm = FileManager.default
        var found: [(source: String, relative: String)] = []
        let licensesDirectory = info.path + "/licenses"
        if let walker = fm.enumerator(atPath: licensesDirectory) {
            while let relative = walker.nextObject() as? String {
                var isDirectory: ObjCBool = false
                if fm.fileExists(atPath: licensesDirectory + "/" + relative, isDirectory: &isDirectory), !isDirectory.boolValue {
                    found.append((licensesDirectory + "/" + relative, relative))
                }
            }
        }
        let prefixes = ["LICENSE", "LICENCE", "COPYING", "NOTICE", "AUTHORS"]
        let topLevel = ((try? fm.contentsOfDirectory(atPath: info.path)) ?? []).filter { name in
            prefixes.contains { name.uppercased().hasPrefix($0) }
        }
        let declared = info.all("License-File").filter { fm.fileExists(atPath: info.path + "/" + $0) }
        for name in Set(topLevel + declared) where !found.contains(where: { $0.relative == name }) {
            var isDirectory: ObjCBool = false
            if fm.fileExists(atPath: info.path + "/" + name, isDirectory: &isDirectory), !isDirectory.boolValue {
                found.append((info.path + "/" + name, name))
            }
        }
        let target = "LICENSES/\(software)/\(DistributionFile.normalize(info.name))-\(info.version)"
        var copied: [String] = []
        for (source, relative) in found.sorted(by: { $0.relative < $1.relative }) {
            let destination = root + "/" + target + "/" + relative
            do {
                try fm.createDirectory(atPath: (destination as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
                if fm.fileExists(atPath: destination) { try fm.removeItem(atPath: destination) }
                try fm.copyItem(atPath: source, toPath: destination)
                chmod(destination, 0o644)
            } catch {
                throw .io("cannot copy the licence file \(source): \(error.localizedDescription)")
            }
            copied.append(target + "/" + relative)
        }
        return copied
    }

    /// `LICENSES/<software>/python-distributions.json`, merged with what an earlier pip step
    /// of the same software recorded.
    private func writeRecord(_ records: [InstalledDistribution]) throws(StepFailure) {
        let path = root + "/" + InstalledDistribution.recordPath(software: software)
        var all = Self.readRecord(path)
        for record in records {
            all.removeAll { DistributionFile.normalize($0.name) == DistributionFile.normalize(record.name) }
            all.append(record)
        }
        all.sort { DistributionFile.normalize($0.name) < DistributionFile.normalize($1.name) }
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        do {
            try FileManager.default.createDirectory(atPath: (path as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
            try (try encoder.encode(all) + Data("\n".utf8)).write(to: URL(fileURLWithPath: path))
            chmod(path, 0o644)
        } catch {
            throw .io("cannot write \(path): \(error.localizedDescription)")
        }
    }

    static func readRecord(_ path: String) -> [InstalledDistribution] {
        guard let data = FileManager.default.contents(atPath: path) else { return [] }
        return (try? JSONDecoder().decode([InstalledDistribution].self, from: data)) ?? []
    }
}
