import Definitions

/// Where a packager writes: a file, a pipe, a digest. Bytes arrive in order, exactly once.
package protocol PackageSink: AnyObject {
    func write(_ bytes: UnsafeRawBufferPointer) throws
}

/// One package format behind one small interface: the definitions' `PackageFormatKind` (its
/// name and `package.<name>` keys), made from those options, naming its file and writing the
/// package bytes to a stream. A new format is one type conforming to this in its own folder,
/// listed in `PackageFormats.standard`. Packagers hold only settings, so they are cheap values.
package protocol Packager: PackageFormatKind {
    /// The packager for a project's `package.<name>` settings.
    init(options: FormatOptions)

    /// The conventional file name (`demo_1.4.2-1_amd64.deb`, `demo-1.4.2-1.x86_64.rpm`, ...).
    func fileName(for info: PackageInfo) -> String

    /// The architecture as this format names it (`amd64` for deb, `x86_64` for rpm).
    func architectureName(for info: PackageInfo) -> String

    /// Refuses, before anything is written in any format, contents this format cannot carry
    /// (rpm: files of 4 GiB or more, paths over 4095 bytes).
    func preflight(_ contents: PackageContents) throws(PackagingError)

    /// Writes the whole package to `sink`. `scratchDirectory` is an existing directory for
    /// temporary files (a compressed payload whose size must be known before it is copied);
    /// memory use does not grow with the size of the files, only with their number.
    func write(_ contents: PackageContents, info: PackageInfo, to sink: any PackageSink,
               scratchDirectory: String) throws

    /// The payloads this format builds from the install dir. Formats that name theirs here get
    /// them from one `PayloadPass` shared with the other formats of the run (`write(...,
    /// payloads:)`); the default, none, leaves the format to read the contents itself.
    var payloadNeeds: PayloadNeeds { get }

    /// Writes the package from `payloads`, which hold at least `payloadNeeds`.
    func write(_ contents: PackageContents, info: PackageInfo, payloads: Payloads, to sink: any PackageSink,
               scratchDirectory: String) throws

    /// Signs the package `write` made, at `path` (still staged), in place or beside it; the
    /// metadata is computed afterwards. The default, for formats with no place for a
    /// signature, writes an ASCII-armored detached signature to `<path>.asc`.
    func sign(packageAt path: String, info: PackageInfo, with signer: any PackageSigner,
              scratchDirectory: String) async throws -> PackageSignature
}

/// The formats projects may list in `package.formats`, in their default order (the ones whose
/// `writtenByDefault` is true are a project's default list).
package enum PackageFormats {
    package static let standard: [any Packager.Type] = [DebPackager.self, RPMPackager.self, TarPackager.self, ShPackager.self]
}

extension Packager {
    package func preflight(_ contents: PackageContents) throws(PackagingError) {}

    package var payloadNeeds: PayloadNeeds { .none }

    package func write(_ contents: PackageContents, info: PackageInfo, payloads: Payloads, to sink: any PackageSink,
                       scratchDirectory: String) throws {
        try write(contents, info: info, to: sink, scratchDirectory: scratchDirectory)
    }

    /// `write` for a format with payload needs: its own `PayloadPass`, then the package.
    func writeWithOwnPayloads(_ contents: PackageContents, info: PackageInfo, to sink: any PackageSink,
                              scratchDirectory: String) throws {
        let payloads = try PayloadPass(contents: contents, epoch: info.effectiveEpoch, needs: payloadNeeds,
                                       directory: scratchDirectory).run()
        defer { payloads.remove() }
        try write(contents, info: info, payloads: payloads, to: sink, scratchDirectory: scratchDirectory)
    }

    /// Validates `info` and checks that `contents` installs where `info` says.
    func checkInputs(_ contents: PackageContents, _ info: PackageInfo, options: [(String, String)] = []) throws(PackagingError) {
        try info.validate()
        let multiLine = options.filter { $0.1.contains(where: \.isNewline) }.map { "\(Self.name) \($0.0) must be a single line" }
        if !multiLine.isEmpty { throw .invalidInfo(multiLine) }
        guard contents.installDir == info.normalizedInstallDir else {
            throw .invalidInfo(["the contents were scanned for \(contents.installDir) but the package installs into \(info.normalizedInstallDir)"])
        }
    }
}
