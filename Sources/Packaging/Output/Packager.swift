/// Where a packager writes: a file, a pipe, a digest. Bytes arrive in order, exactly once.
package protocol PackageSink: AnyObject {
    func write(_ bytes: UnsafeRawBufferPointer) throws
}

/// One package format behind one small interface: the conventional file name, and the package
/// bytes written to a stream. Packagers hold only settings, so they are cheap values.
package protocol Packager: Sendable {
    var format: PackageFormat { get }

    /// The conventional file name (`demo_1.4.2-1_amd64.deb`, `demo-1.4.2-1.x86_64.rpm`, ...).
    func fileName(for info: PackageInfo) -> String

    /// Writes the whole package to `sink`. `scratchDirectory` is an existing directory for
    /// temporary files (a compressed payload whose size must be known before it is copied);
    /// memory use does not grow with the size of the files, only with their number.
    func write(_ contents: PackageContents, info: PackageInfo, to sink: any PackageSink,
               scratchDirectory: String) throws
}

extension Packager {
    /// Validates `info` and checks that `contents` installs where `info` says.
    func checkInputs(_ contents: PackageContents, _ info: PackageInfo) throws(PackagingError) {
        try info.validate()
        guard contents.installDir == info.normalizedInstallDir else {
            throw .invalidInfo(["the contents were scanned for \(contents.installDir) but the package installs into \(info.normalizedInstallDir)"])
        }
    }
}
