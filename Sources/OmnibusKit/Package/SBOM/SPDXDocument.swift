import Digest

/// An SPDX 2.3 JSON document for one package: the package as the described root, which
/// CONTAINS every software of its version manifest, each DEPENDS_ON the software it was built
/// against. `created` is the package's SOURCE_DATE_EPOCH and the namespace ends in a version-5
/// UUID of the package's SHA-256, so the document is as reproducible as the package.
enum SPDXDocument {
    static func make(_ subject: SBOMSubject) throws(DigestError) -> JSONValue {
        let uuid = try NameBasedUUID.version5(name: "omnibus:spdx:" + subject.package.sha256)
        let rootID = "SPDXRef-Package-" + elementID(subject.package.name)
        var licenseRefs: [String: String] = [:]
        func declared(_ text: String) -> JSONValue {
            switch SBOMLicense(text) {
            case .unstated: return .string("NOASSERTION")
            case .identifier(let id), .expression(let id): return .string(id)
            case .named(let name):
                let reference = SBOMLicense.reference(for: name)
                licenseRefs[reference] = name
                return .string(reference)
            }
        }

        var root: [String: JSONValue] = [
            "SPDXID": .string(rootID), "name": .string(subject.package.name), "versionInfo": .string(subject.packageVersion),
            "packageFileName": .string(subject.package.basename), "downloadLocation": .string("NOASSERTION"),
            "filesAnalyzed": .bool(false), "primaryPackagePurpose": .string("INSTALL"),
            "licenseDeclared": declared(subject.license), "licenseConcluded": .string("NOASSERTION"),
            "copyrightText": .string("NOASSERTION"),
            "checksums": .array([.object(["algorithm": .string("SHA256"), "checksumValue": .string(subject.package.sha256)]),
                                 .object(["algorithm": .string("SHA512"), "checksumValue": .string(subject.package.sha512)])]),
            "externalRefs": .array([purl(subject.packagePURL)]),
        ]
        if SBOMSubject.isFetchableURL(subject.homepage) { root["homepage"] = .string(subject.homepage) }

        var packages: [JSONValue] = [.object(root)]
        var relationships: [JSONValue] = [relationship("SPDXRef-DOCUMENT", "DESCRIBES", rootID)]
        for name in subject.softwareNames {
            let component = subject.manifest.software[name]!
            let id = softwareID(name)
            var fields: [String: JSONValue] = [
                "SPDXID": .string(id), "name": .string(name), "versionInfo": .string(component.version),
                "downloadLocation": .string(downloadLocation(component)), "filesAnalyzed": .bool(false),
                "licenseDeclared": declared(component.license), "licenseConcluded": .string("NOASSERTION"),
                "copyrightText": .string("NOASSERTION"),
                "sourceInfo": .string("\(component.sourceType) source \(component.source), \(component.checksum)"),
                "externalRefs": .array([purl(subject.softwarePURL(name))]),
            ]
            if let digest = SBOMSubject.fileDigest(component.checksum) {
                fields["checksums"] = .array([.object(["algorithm": .string(digest.algorithm.uppercased()),
                                                      "checksumValue": .string(digest.hex)])])
            }
            packages.append(.object(fields))
            relationships.append(relationship(rootID, "CONTAINS", id))
            for dependency in component.dependencies.sorted() {
                relationships.append(relationship(id, "DEPENDS_ON", softwareID(dependency)))
            }
        }

        var document: [String: JSONValue] = [
            "spdxVersion": .string("SPDX-2.3"), "dataLicense": .string("CC0-1.0"), "SPDXID": .string("SPDXRef-DOCUMENT"),
            "name": .string(subject.package.basename),
            "documentNamespace": .string("https://spdx.org/spdxdocs/\(subject.package.name)-\(uuid)"),
            "creationInfo": .object(["created": .string(subject.created),
                                     "creators": .array([.string("Tool: omnibus-\(subject.toolVersion)")])]),
            "packages": .array(packages), "relationships": .array(relationships),
        ]
        if !licenseRefs.isEmpty {
            document["hasExtractedLicensingInfos"] = .array(licenseRefs.keys.sorted().map { reference in
                .object(["licenseId": .string(reference), "name": .string(licenseRefs[reference]!),
                         "extractedText": .string("The licence is named \"\(licenseRefs[reference]!)\" in the definition; its text is in the package's LICENSES directory when the definition lists license_files.")])
            })
        }
        return .object(document)
    }

    /// SPDX download locations are URLs (or `git+<url>@<commit>`); a local path or a mirror file
    /// name says nothing to a reader elsewhere, so it is NOASSERTION (the source stays in `sourceInfo`).
    private static func downloadLocation(_ component: VersionManifest.Component) -> String {
        guard SBOMSubject.isFetchableURL(component.source) else { return "NOASSERTION" }
        if let commit = SBOMSubject.gitCommit(component.checksum) { return "git+\(component.source)@\(commit)" }
        return component.source
    }

    private static func purl(_ locator: String) -> JSONValue {
        .object(["referenceCategory": .string("PACKAGE-MANAGER"), "referenceType": .string("purl"),
                 "referenceLocator": .string(locator)])
    }

    private static func relationship(_ from: String, _ type: String, _ to: String) -> JSONValue {
        .object(["spdxElementId": .string(from), "relationshipType": .string(type), "relatedSpdxElement": .string(to)])
    }

    static func softwareID(_ name: String) -> String { "SPDXRef-Software-" + elementID(name) }

    /// SPDX element ids allow letters, digits, `.` and `-`: every character but letters, digits
    /// and `-` becomes `.XX.` (its hex code), so two names never share an id.
    private static func elementID(_ text: String) -> String {
        var out = ""
        for scalar in text.unicodeScalars {
            if scalar.isASCII, scalar.properties.isAlphabetic || ("0"..."9").contains(scalar) || scalar == "-" {
                out.unicodeScalars.append(scalar)
            } else {
                out += "." + String(scalar.value, radix: 16) + "."
            }
        }
        return out
    }
}
