/// The rule for an apt suite or component name, shared by `publish.apt` in omnibus.config.yml
/// and the `--suite`/`--component` flags. Each is a directory under `dists/`, so a name that is
/// `.` or `..`, holds a `/`, or starts with `-` or `.` would write outside it, hide it or read
/// as an option to the tools that sync the site.
package enum AptArchiveName {
    /// Letters, digits and `.`, `_`, `+`, `-`, `~` as Debian's archive names use them.
    static let allowed = Set("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789._+-~")

    /// What the name must be, to follow "must be", or nil when it is fine.
    package static func problem(_ name: String) -> String? {
        guard name.isEmpty || !name.allSatisfy({ allowed.contains($0) }) || name.hasPrefix(".") || name.hasPrefix("-") else {
            return nil
        }
        return "one word of letters, digits and '.', '_', '+', '-', '~', not starting with '.' or '-' (it names a directory under dists/)"
    }
}
