import Definitions
import Digest
import Foundation

/// The requirements file a pip step installs from: every wheel and sdist of the find-links
/// directory pinned to its version and its sha256, so pip's `--require-hashes` accepts those
/// bytes and nothing else.
struct PipRequirements {
    struct Entry {
        let file: DistributionFile
        let sha256: String
    }

    let entries: [Entry]

    init(directory: String) throws(StepFailure) {
        let names: [String]
        do { names = try FileManager.default.contentsOfDirectory(atPath: directory).sorted() } catch {
            throw .invalid("cannot list the find-links directory \(directory): \(error.localizedDescription)")
        }
        var entries: [Entry] = []
        for name in names {
            guard let file = DistributionFile(name) else { continue }
            do { entries.append(Entry(file: file, sha256: try Digests.hex(.sha256, ofFile: directory + "/" + name))) } catch {
                throw .io("cannot hash \(directory)/\(name): \(error)")
            }
        }
        guard !entries.isEmpty else {
            throw .invalid("no wheel or sdist in \(directory): a pip step installs the distributions of the software's 'pypi:' source (or of 'find_links')")
        }
        let byName = Dictionary(grouping: entries, by: \.file.normalizedName)
        for (name, files) in byName where Set(files.map(\.file.version)).count > 1 {
            throw .invalid("\(directory) holds several versions of \(name) (\(files.map(\.file.fileName).joined(separator: ", "))); pin one")
        }
        self.entries = entries
    }

    /// One line per distribution, in name order.
    var text: String {
        let byName = Dictionary(grouping: entries, by: \.file.normalizedName)
        return byName.keys.sorted().map { name in
            let files = byName[name]!
            return "\(name)==\(files[0].file.version) " + files.map { "--hash=sha256:\($0.sha256)" }.joined(separator: " ")
        }.joined(separator: "\n") + "\n"
    }

    /// The file pip installed for an installed distribution (a wheel before an sdist).
    func file(name: String, version: String) -> Entry? {
        let candidates = entries.filter { $0.file.normalizedName == DistributionFile.normalize(name) && $0.file.version == version }
        return candidates.first { $0.file.fileName.hasSuffix(".whl") } ?? candidates.first
    }
}
