extension BuiltPackage {
    /// A package put in place from elsewhere than `PackageWriter` (OmnibusKit's package cache,
    /// which keeps what a packaging run wrote and gives it back byte for byte).
    package init(restoredFormat format: String, path: String, metadataPath: String, metadata: PackageMetadata,
                 signaturePath: String?) {
        self.init(format: format, path: path, metadataPath: metadataPath, metadata: metadata, signaturePath: signaturePath)
    }
}
