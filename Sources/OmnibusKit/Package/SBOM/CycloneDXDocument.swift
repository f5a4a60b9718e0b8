import Digest

/// A CycloneDX 1.5 JSON BOM for one package: the package is `metadata.component`, every
/// software of its version manifest a component, and `dependencies` holds the edges (the
/// package on each software, each software on what it was built against). The timestamp is the
/// package's SOURCE_DATE_EPOCH and the serial number a version-5 UUID of its SHA-256, so the
/// BOM is as reproducible as the package.
enum CycloneDXDocument {
    static func make(_ subject: SBOMSubject) throws(DigestError) -> JSONValue {
        let uuid = try NameBasedUUID.version5(name: "omnibus:cyclonedx:" + subject.package.sha256)
        let rootRef = "package:" + subject.package.basename
        var root: [String: JSONValue] = [
            "type": .string("application"), "bom-ref": .string(rootRef), "name": .string(subject.package.name),
            "version": .string(subject.packageVersion), "purl": .string(subject.packagePURL),
            "hashes": .array([hash("SHA-256", subject.package.sha256), hash("SHA-512", subject.package.sha512)]),
        ]
        if let licenses = licenses(subject.license) { root["licenses"] = licenses }
        if SBOMSubject.isFetchableURL(subject.homepage) {
            root["externalReferences"] = .array([.object(["type": .string("website"), "url": .string(subject.homepage)])])
        }

        var components: [JSONValue] = []
        var dependencies: [JSONValue] = [
            .object(["ref": .string(rootRef), "dependsOn": .array(subject.softwareNames.map { .string(softwareRef($0)) })]),
        ]
        for name in subject.softwareNames {
            let component = subject.manifest.software[name]!
            var fields: [String: JSONValue] = [
                "type": .string("library"), "bom-ref": .string(softwareRef(name)), "name": .string(name),
                "version": .string(component.version), "purl": .string(subject.softwarePURL(name)),
                "properties": .array([property("omnibus:source_type", component.sourceType),
                                      property("omnibus:source", component.source),
                                      property("omnibus:checksum", component.checksum)]),
            ]
            if let licenses = licenses(component.license) { fields["licenses"] = licenses }
            if let digest = SBOMSubject.fileDigest(component.checksum) {
                fields["hashes"] = .array([hash(digest.algorithm == "sha256" ? "SHA-256" : "SHA-512", digest.hex)])
            }
            if SBOMSubject.isFetchableURL(component.source) {
                let commit = SBOMSubject.gitCommit(component.checksum)
                var reference: [String: JSONValue] = ["type": .string(commit == nil ? "distribution" : "vcs"),
                                                      "url": .string(component.source)]
                if let commit { reference["comment"] = .string("commit " + commit) }
                fields["externalReferences"] = .array([.object(reference)])
            }
            components.append(.object(fields))
            dependencies.append(.object(["ref": .string(softwareRef(name)),
                                         "dependsOn": .array(component.dependencies.sorted().map { .string(softwareRef($0)) })]))
        }

        return .object([
            "bomFormat": .string("CycloneDX"), "specVersion": .string("1.5"), "serialNumber": .string("urn:uuid:" + uuid),
            "version": .int(1),
            "metadata": .object([
                "timestamp": .string(subject.created),
                "tools": .object(["components": .array([.object(["type": .string("application"), "name": .string("omnibus"),
                                                                  "version": .string(subject.toolVersion)])])]),
                "component": .object(root),
            ]),
            "components": .array(components), "dependencies": .array(dependencies),
        ])
    }

    /// A known SPDX identifier as `id`, a compound expression as `expression`, anything else as
    /// a `name` (CycloneDX checks ids against the SPDX list).
    private static func licenses(_ text: String) -> JSONValue? {
        switch SBOMLicense(text) {
        case .unstated: nil
        case .identifier(let id): .array([.object(["license": .object(["id": .string(id)])])])
        case .expression(let expression): .array([.object(["expression": .string(expression)])])
        case .named(let name): .array([.object(["license": .object(["name": .string(name)])])])
        }
    }

    static func softwareRef(_ name: String) -> String { "software:" + name }

    private static func hash(_ algorithm: String, _ hex: String) -> JSONValue {
        .object(["alg": .string(algorithm), "content": .string(hex)])
    }

    private static func property(_ name: String, _ value: String) -> JSONValue {
        .object(["name": .string(name), "value": .string(value)])
    }
}
