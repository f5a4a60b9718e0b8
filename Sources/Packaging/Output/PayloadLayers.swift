/// Which files of the install dir each software put there, in a fixed order: the payload is
/// written layer after layer, so the compressed bytes of one layer can be kept between runs
/// (`PayloadSegmentStore`) and only a changed layer is compressed again.
package struct PayloadLayers: Sendable, Equatable {
    package struct Layer: Sendable, Equatable {
        package var name: String
        /// Install path (`/opt/demo/bin/tool`) → the SHA-256 the layer recorded for it (nil for
        /// directories and symlinks). Only a lookup key: the bytes on disk decide.
        package var files: [String: String?]

        package init(name: String, files: [String: String?]) {
            self.name = name
            self.files = files
        }
    }

    /// In payload order; a path listed by several layers belongs to the first.
    package var layers: [Layer]

    package init(_ layers: [Layer]) { self.layers = layers }

    /// One segment of the payload: members in path order, parents before children.
    struct Segment {
        /// The layer's name; nil for the last segment (files of no layer and the tar trailer).
        var layer: String?
        var members: [TarMembers.Member]
    }

    /// The contents' members cut into one segment per layer plus a last one, in an order that
    /// depends only on the layers and the contents. A hard link goes with the file it links to
    /// (tar needs the file first); a directory, present or only a missing parent, goes in the
    /// first segment that holds it or anything below it. Without layers there is one segment,
    /// in path order, the order of a package written without layers.
    func segments(of contents: PackageContents, tarMembers: TarMembers) -> [Segment] {
        let last = layers.count
        var owner: [String: Int] = [:]
        for (index, layer) in layers.enumerated() {
            for path in layer.files.keys where owner[path] == nil { owner[path] = index }
        }
        let members = tarMembers.members(of: contents)
        var segmentOfPath: [String: Int] = [:]
        for member in members {
            var segment = owner[member.path] ?? last
            if let entry = member.entry, case .hardlink(let target) = entry.kind { segment = owner[target] ?? last }
            segmentOfPath[member.path] = segment
        }
        // Ancestors come no later than anything below them.
        for member in members {
            let segment = segmentOfPath[member.path]!
            var path = member.path
            while let slash = path.lastIndex(of: "/"), path != "/" {
                path = slash == path.startIndex ? "/" : String(path[..<slash])
                guard let current = segmentOfPath[path] else { continue }
                if current > segment { segmentOfPath[path] = segment }
            }
        }
        var grouped = [[TarMembers.Member]](repeating: [], count: last + 1)
        // `members` is in path order, so each group stays in path order.
        for member in members { grouped[segmentOfPath[member.path]!].append(member) }
        return grouped.enumerated().map { index, members in
            Segment(layer: index < last ? layers[index].name : nil, members: members)
        }
    }
}
