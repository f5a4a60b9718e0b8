import Foundation

/// An installed distribution's `.dist-info` directory: its core metadata and the files it
/// installed (`RECORD`), read the way pip and importlib.metadata read them.
struct DistInfo {
    /// The `.dist-info` directory.
    let path: String
    /// Header fields of `METADATA` in order; a repeated field (Classifier) appears once per line.
    let fields: [(name: String, value: String)]
    /// `RECORD` rows: the path as written (relative to the directory holding `.dist-info`), hash, size.
    var record: [[String]]

    init(path: String) throws {
        self.path = path
        let metadata = try String(contentsOfFile: path + "/METADATA", encoding: .utf8)
        fields = Self.headers(metadata)
        let record = (try? String(contentsOfFile: path + "/RECORD", encoding: .utf8)) ?? ""
        self.record = record.split(whereSeparator: \.isNewline).map { Self.csvFields(String($0)) }
    }

    var name: String { field("Name") ?? (path as NSString).lastPathComponent }
    var version: String { field("Version") ?? "" }
    /// The directory the record's paths are relative to (site-packages).
    var base: String { (path as NSString).deletingLastPathComponent }

    func field(_ name: String) -> String? {
        fields.first { $0.name.lowercased() == name.lowercased() }?.value
    }

    func all(_ name: String) -> [String] {
        fields.filter { $0.name.lowercased() == name.lowercased() }.map(\.value)
    }

    /// The licence in the most precise form the metadata gives.
    var license: String {
        if let expression = field("License-Expression"), !expression.isEmpty { return expression }
        // `License:` often holds a whole licence text; only a short single line names one.
        if let text = field("License"), !text.contains("\n"), !text.isEmpty, text.count <= 80, text != "UNKNOWN" { return text }
        let classifiers = all("Classifier").filter { $0.hasPrefix("License ::") }
            .compactMap { $0.components(separatedBy: " :: ").last }
        return classifiers.isEmpty ? "UNKNOWN" : classifiers.joined(separator: ", ")
    }

    /// Absolute paths of every file the record lists (normalised, `..` resolved).
    var installedFiles: [String] {
        record.compactMap { $0.first }.map { Self.normalized(base + "/" + $0) }
    }

    /// The record as written back: comma-separated, quoting fields that need it.
    var recordText: String {
        record.map { row in
            row.map { $0.contains(",") || $0.contains("\"") ? "\"" + $0.replacingOccurrences(of: "\"", with: "\"\"") + "\"" : $0 }
                .joined(separator: ",")
        }.joined(separator: "\n") + "\n"
    }

    /// RFC 822-style headers up to the first blank line; continuation lines join their field.
    static func headers(_ text: String) -> [(name: String, value: String)] {
        var result: [(name: String, value: String)] = []
        for line in text.components(separatedBy: "\n") {
            if line.isEmpty || line == "\r" { break }
            if line.first == " " || line.first == "\t" {
                if !result.isEmpty { result[result.count - 1].value += "\n" + line.trimmingCharacters(in: .whitespaces) }
                continue
            }
            guard let colon = line.firstIndex(of: ":") else { continue }
            result.append((String(line[..<colon]), line[line.index(after: colon)...].trimmingCharacters(in: .whitespacesAndNewlines)))
        }
        return result
    }

    /// One CSV line as RECORD writes it (Python's csv module: quotes around fields with commas).
    static func csvFields(_ line: String) -> [String] {
        var fields: [String] = []
        var current = ""
        var quoted = false
        var iterator = Array(line).makeIterator()
        var pending: Character? = nil
        while let character = pending ?? iterator.next() {
            pending = nil
            if quoted {
                if character == "\"" {
                    if let next = iterator.next() {
                        if next == "\"" { current.append("\"") } else { quoted = false; pending = next }
                    } else { quoted = false }
                } else {
                    current.append(character)
                }
            } else if character == "\"" {
                quoted = true
            } else if character == "," {
                fields.append(current)
                current = ""
            } else if character != "\r" {
                current.append(character)
            }
        }
        fields.append(current)
        return fields
    }

    static func normalized(_ path: String) -> String { StepContext.normalized(path) }
}
