import Foundation

/// Whether `apt-get source` can work on this machine, and if not, exactly what to add.
enum AptSourceCheck {
    /// Throws `.debSrcMissing` naming the `deb-src` lines to add (derived from the machine's own
    /// `deb` entries), or asking for `apt-get update` when the entries exist but their indexes
    /// were never downloaded.
    static func requireDebSrc() async throws(FetchError) {
        let sources = try await CommandRunner.check(
            ["apt-get", "indextargets", "--format", "$(FILENAME)", "Identifier: Sources"])
            .split(separator: "\n").map(String.init).filter { !$0.isEmpty }
        if !sources.isEmpty {
            // apt keeps indexes compressed under names with an extra suffix (.lz4, .xz, ...).
            let lists = (try? FileManager.default.contentsOfDirectory(atPath: "/var/lib/apt/lists")) ?? []
            let downloaded = sources.contains { file in
                let base = URL(fileURLWithPath: file).lastPathComponent
                return lists.contains { $0 == base || $0.hasPrefix(base + ".") }
            }
            if downloaded { return }
            throw .debSrcMissing(advice: "deb-src entries are configured but their indexes were never downloaded: "
                + "run `apt-get update` (as root) and try again.")
        }
        let binaries = try await CommandRunner.check(
            ["apt-get", "indextargets", "--format", "$(SITE) $(RELEASE) $(COMPONENT) $(SOURCESENTRY)",
             "Identifier: Packages"])
        throw .debSrcMissing(advice: advice(forPackageTargets: binaries))
    }

    /// Builds the advice from `SITE RELEASE COMPONENT FILE:LINE` lines of the `deb` targets.
    static func advice(forPackageTargets text: String) -> String {
        var lines: [String] = []
        var files: [String] = []
        for row in text.split(separator: "\n") {
            let fields = row.split(separator: " ").map(String.init)
            guard fields.count >= 3 else { continue }
            let line = "deb-src \(fields[0]) \(fields[1]) \(fields[2])"
            if !lines.contains(line) { lines.append(line) }
            if fields.count >= 4, let file = fields[3].split(separator: ":").first.map(String.init), !files.contains(file) {
                files.append(file)
            }
        }
        var advice = "Either run `scripts/enable-deb-src` from the omnibus repository as root (it adds a "
            + "deb-src entry for every deb entry and runs apt-get update), or do it by hand:"
        if !files.isEmpty {
            let deb822 = files.filter { $0.hasSuffix(".sources") }
            if !deb822.isEmpty {
                advice += "\n  in \(deb822.joined(separator: ", ")), change `Types: deb` to `Types: deb deb-src`;"
            }
        }
        if !lines.isEmpty {
            advice += "\n  or add these lines to /etc/apt/sources.list.d/deb-src.list:"
            for line in lines { advice += "\n    \(line)" }
        }
        return advice + "\nthen run `apt-get update`."
    }
}
