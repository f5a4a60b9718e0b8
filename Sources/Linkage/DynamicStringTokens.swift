/// The loader's dynamic string tokens (`_dl_dst_substitute`): `$ORIGIN`, `$LIB` and `$PLATFORM`,
/// bare or in braces. An unknown `$NAME` stays literal, as in the loader.
enum DynamicStringTokens {
    /// `text` with every known token replaced. `origin` nil means the origin is unknown, and an
    /// element using `$ORIGIN` is then dropped (nil), as the loader drops it.
    static func expand(_ text: String, origin: String?, environment: LoaderEnvironment) -> String? {
        guard text.utf8.contains(UInt8(ascii: "$")) else { return text }
        let input = Array(text.utf8)
        var output: [UInt8] = []
        output.reserveCapacity(input.count + 64)
        var index = 0
        while index < input.count {
            guard input[index] == UInt8(ascii: "$") else {
                output.append(input[index])
                index += 1
                continue
            }
            let rest = index + 1
            if let length = tokenLength(input, at: rest, name: "ORIGIN") {
                guard let origin else { return nil }
                output += Array(origin.utf8)
                index = rest + length
            } else if let length = tokenLength(input, at: rest, name: "PLATFORM") {
                output += Array(environment.platform.utf8)
                index = rest + length
            } else if let length = tokenLength(input, at: rest, name: "LIB") {
                output += Array(environment.lib.utf8)
                index = rest + length
            } else {
                output.append(UInt8(ascii: "$"))
                index = rest
            }
        }
        return String(decoding: output, as: UTF8.self)
    }

    /// Length of the token `name` at `start` (`NAME` or `{NAME}`), or nil. A bare name must not run
    /// on into identifier characters (`$ORIGINAL` is not `$ORIGIN`).
    private static func tokenLength(_ input: [UInt8], at start: Int, name: String) -> Int? {
        let reference = Array(name.utf8)
        let curly = start < input.count && input[start] == UInt8(ascii: "{")
        let nameStart = curly ? start + 1 : start
        guard nameStart + reference.count <= input.count,
              Array(input[nameStart..<nameStart + reference.count]) == reference else { return nil }
        let after = nameStart + reference.count
        if curly {
            return after < input.count && input[after] == UInt8(ascii: "}") ? reference.count + 2 : nil
        }
        if after < input.count {
            let next = input[after]
            let identifier = (next >= 0x30 && next <= 0x39) || (next >= 0x41 && next <= 0x5a)
                || (next >= 0x61 && next <= 0x7a) || next == UInt8(ascii: "_")
            if identifier { return nil }
        }
        return reference.count
    }
}

/// One element of a `DT_RPATH` or `DT_RUNPATH` value, before and after token expansion.
package struct SearchPathEntry: Sendable, Equatable, Codable {
    package enum Tag: String, Sendable, Codable { case rpath = "RPATH", runpath = "RUNPATH" }
    package let tag: Tag
    /// The element as written in the file.
    package let raw: String
    /// The directory the loader searches, or nil when the element is dropped (a token that
    /// cannot be expanded, or an element that expands to nothing).
    package let expanded: String?

    /// Splits a search path value into elements the way the loader does (`fillin_rpath`): an
    /// empty element means the current directory, trailing slashes are removed.
    static func entries(_ value: String, tag: Tag, origin: String?, environment: LoaderEnvironment) -> [SearchPathEntry] {
        value.split(separator: ":", omittingEmptySubsequences: false).map { element in
            let raw = String(element)
            if raw.isEmpty { return SearchPathEntry(tag: tag, raw: raw, expanded: "") }
            guard var directory = DynamicStringTokens.expand(raw, origin: origin, environment: environment),
                  !directory.isEmpty else { return SearchPathEntry(tag: tag, raw: raw, expanded: nil) }
            while directory.count > 1, directory.hasSuffix("/") { directory.removeLast() }
            return SearchPathEntry(tag: tag, raw: raw, expanded: directory)
        }
    }
}
