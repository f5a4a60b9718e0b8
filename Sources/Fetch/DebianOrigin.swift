/// A Debian source package (and optionally its exact Debian version, epoch included, such as
/// `1:1.2.13.dfsg-1`) whose `.orig` file carries a source's bytes.
package struct DebianOrigin: Sendable, Hashable {
    package var package: String
    package var version: String?

    package init(package: String, version: String? = nil) {
        self.package = package
        self.version = version
    }

    /// `zlib=1:1.2.13.dfsg-1` or `zlib`, as written in a definition's `debian:`.
    package init(parsing text: String) {
        if let equals = text.firstIndex(of: "=") {
            self.init(package: String(text[..<equals]), version: String(text[text.index(after: equals)...]))
        } else {
            self.init(package: text)
        }
    }

    /// `zlib=1:1.2.13.dfsg-1` or `zlib`, as `apt-get source` takes it.
    package var aptArgument: String { version.map { "\(package)=\($0)" } ?? package }
}
