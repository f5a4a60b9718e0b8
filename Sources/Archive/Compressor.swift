/// Compresses a whole byte string in memory (repository indexes: `Packages.xz`,
/// `primary.xml.gz`), with the same machine-independent settings as archives.
package enum Compressor {
    package static func compress(_ bytes: [UInt8], with compression: ArchiveCompression) throws(ArchiveError) -> [UInt8] {
        var output: [UInt8] = []
        do {
            let stream = try CompressingStream(compression, sink: { output.append(contentsOf: $0) })
            try bytes.withUnsafeBytes { try stream.write($0) }
            try stream.finish()
        } catch let error as ArchiveError {
            throw error
        } catch {
            throw ArchiveError(path: "<compressor>", message: "\(error)")
        }
        return output
    }
}
