import Archive

/// A package format (`deb`, `rpm`, `tar`): one type in one file, listed in Packaging's
/// `PackageFormats` table, which also writes it. The definitions see its name, the keys it
/// takes under `package.<name>` and its default compression.
package protocol PackageFormatKind: Sendable {
    /// The name in `package.formats` and the key of its section (`package.deb`).
    static var name: String { get }
    /// Keys of `package.<name>` besides `compression` and `compression_level`, with their
    /// defaults ("" means unset).
    static var optionDefaults: [String: String] { get }
    static var defaultCompression: ArchiveCompression.Algorithm { get }
    /// Keys of `package.<name>` that take a list of package relations (`depends`, `requires`):
    /// this format's own names for them, checked like `runtime_dependencies`.
    static var relationOptions: [String] { get }
    /// Keys of `package.<name>` naming a script of this format only (rpm's `pretrans`): a path
    /// in the packaging repository, checked by `validate`, rendered like `PackageScripts/`.
    static var scriptOptions: [String] { get }
    /// Whether a project that does not set `package.formats` gets this format. A format added
    /// later is opt-in (false), so that existing projects keep producing the same packages.
    static var writtenByDefault: Bool { get }
}

extension PackageFormatKind {
    package static var relationOptions: [String] { [] }
    package static var scriptOptions: [String] { [] }
    package static var writtenByDefault: Bool { true }
}

/// One format's settings from `package.<name>`, defaults filled in.
package struct FormatOptions: Sendable, Equatable {
    package var compression: ArchiveCompression.Algorithm
    /// `compression_level`; nil means the algorithm's default (`Algorithm.defaultLevel`), so a
    /// project that changes only the algorithm gets that algorithm's usual level.
    package var compressionLevel: Int?
    package var values: [String: String]
    /// Relation lists by key (`depends` -> ["libc6 (>= 2.34)"]); absent keys are empty.
    package var relations: [String: [String]]

    package init(compression: ArchiveCompression.Algorithm, values: [String: String] = [:], relations: [String: [String]] = [:]) {
        self.compression = compression
        self.values = values
        self.relations = relations
    }

    /// The algorithm and level packages of this format are compressed with.
    package var archiveCompression: ArchiveCompression {
        ArchiveCompression(compression, level: compressionLevel)
    }

    /// The relations listed under `key`, in the order written.
    package func relations(_ key: String) -> [String] { relations[key] ?? [] }

    /// The defaults a format declares.
    package init(defaultsOf kind: any PackageFormatKind.Type) {
        self.init(compression: kind.defaultCompression, values: kind.optionDefaults)
    }

    /// A value, nil when unset or empty.
    package subscript(_ key: String) -> String? {
        values[key].flatMap { $0.isEmpty ? nil : $0 }
    }
}
