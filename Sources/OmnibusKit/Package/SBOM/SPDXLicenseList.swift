/// The SPDX license-list identifiers the tool recognises in a `license:` text: those of the
/// software omnibus projects commonly ship (compilers' runtimes, compression, TLS, language
/// runtimes, databases). The full list changes with each SPDX release and has no place in the
/// binary; a licence missing here is not lost, it is written as a named licence
/// (`LicenseRef-…`). Adding an identifier here is safe only if it is on the SPDX list: SBOM
/// validators reject unknown ones.
enum SPDXLicenseList {
    static let licenses: [String] = [
        "0BSD", "AFL-2.1", "AFL-3.0", "AGPL-3.0-only", "AGPL-3.0-or-later", "Apache-1.1", "Apache-2.0",
        "Artistic-1.0", "Artistic-1.0-Perl", "Artistic-2.0", "BSD-1-Clause", "BSD-2-Clause", "BSD-2-Clause-Patent",
        "BSD-3-Clause", "BSD-3-Clause-Clear", "BSD-4-Clause", "BSL-1.0", "Beerware", "CC-BY-4.0", "CC0-1.0",
        "CDDL-1.0", "EPL-1.0", "EPL-2.0", "EUPL-1.2", "FTL", "GD", "GFDL-1.3-or-later", "GPL-1.0-only",
        "GPL-1.0-or-later", "GPL-2.0", "GPL-2.0-only", "GPL-2.0-or-later", "GPL-3.0", "GPL-3.0-only",
        "GPL-3.0-or-later", "HPND", "ICU", "IJG", "ISC", "Info-ZIP", "LGPL-2.0-only", "LGPL-2.0-or-later",
        "LGPL-2.1", "LGPL-2.1-only", "LGPL-2.1-or-later", "LGPL-3.0", "LGPL-3.0-only", "LGPL-3.0-or-later",
        "LPPL-1.3c", "Libpng", "MIT", "MIT-0", "MIT-CMU", "MPL-1.1", "MPL-2.0", "MirOS", "NCSA", "OLDAP-2.8",
        "OpenSSL", "OpenSSL-standalone", "PHP-3.01", "PSF-2.0", "PostgreSQL", "Python-2.0", "Python-2.0.1", "Ruby",
        "SSLeay-standalone", "Sleepycat", "Spencer-94", "TCL", "Unicode-3.0", "Unicode-DFS-2016", "Unlicense", "Vim",
        "W3C", "WTFPL", "X11", "Zlib", "blessing", "bzip2-1.0.6", "curl", "libpng-2.0", "zlib-acknowledgement",
    ]

    static let exceptions: [String] = [
        "Autoconf-exception-3.0", "Bison-exception-2.2", "Classpath-exception-2.0", "GCC-exception-3.1",
        "LLVM-exception", "Libtool-exception", "PCRE2-exception",
    ]

    /// SPDX identifiers match without regard to case; the list's spelling is returned.
    static func license(_ text: String) -> String? { find(text, in: licensesByLowercase) }
    static func exception(_ text: String) -> String? { find(text, in: exceptionsByLowercase) }

    private static let licensesByLowercase = Dictionary(uniqueKeysWithValues: licenses.map { ($0.lowercased(), $0) })
    private static let exceptionsByLowercase = Dictionary(uniqueKeysWithValues: exceptions.map { ($0.lowercased(), $0) })
    private static func find(_ text: String, in table: [String: String]) -> String? { table[text.lowercased()] }
}
