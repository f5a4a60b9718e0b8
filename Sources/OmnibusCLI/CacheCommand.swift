import ArgumentParser
import Foundation
import OmnibusKit

struct CacheCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "cache",
        abstract: "List, check and trim the layer and package caches.",
        discussion: "The layer cache (<cache>/layers) and the package cache (<cache>/packages) are shared by every project using the same cache dir; see docs/cache.md.",
        subcommands: [List.self, Verify.self, Prune.self, Clear.self, Keygen.self])

    struct Options: ParsableArguments {
        @OptionGroup var global: GlobalOptions
        @Option(name: .customLong("cache-dir"), help: ArgumentHelp("The cache to work on (default: as for build; env OMNIBUS_CACHE_DIR).", valueName: "dir"))
        var cacheDir: String?

        func maintenance() throws -> CacheMaintenance {
            let workspace = try global.workspace(requiringRepository: false)
            return CacheMaintenance(settings: try workspace.commandSettings(BuildSettings.Flags(cacheDir: cacheDir)))
        }
    }

    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Every cached layer (key, software, version, project, size, last use) and package set; and the totals.")
        @OptionGroup var options: Options

        func run() throws {
            let maintenance = try options.maintenance()
            let rows = maintenance.list()
            let formatter = ISO8601DateFormatter()
            let layers = rows.filter { $0.kind == .layer }
            let packageSets = rows.filter { $0.kind == .packages }
            for row in layers {
                print("\(row.key.prefix(16))  \(row.software) \(row.version)  project \(row.project)  \(CacheMaintenance.size(row.bytes))  used \(formatter.string(from: row.lastUsed))")
            }
            print("\(layers.count) layer\(layers.count == 1 ? "" : "s"), \(CacheMaintenance.size(layers.reduce(0) { $0 + $1.bytes })) in \(maintenance.directory)")
            for row in packageSets {
                print("\(row.key.prefix(16))  packages \(row.software) (\(row.version))  project \(row.project)  \(CacheMaintenance.size(row.bytes))  used \(formatter.string(from: row.lastUsed))")
            }
            print("\(packageSets.count) package set\(packageSets.count == 1 ? "" : "s"), \(CacheMaintenance.size(packageSets.reduce(0) { $0 + $1.bytes })) in \(maintenance.packagesDirectory)")
        }
    }

    struct Verify: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Check every cached layer against its manifest and hash every cached package; remove damaged entries (exit 1 if any).")
        @OptionGroup var options: Options

        func run() throws {
            let result = try options.maintenance().verify()
            for damaged in result.removed {
                print("removed \(damaged.key.prefix(16)) (\(damaged.kind == .packages ? "packages " : "")\(damaged.software)): \(damaged.problem)")
            }
            let layers = result.removed.filter { $0.kind == .layer }.count
            print("\(result.layers) layer\(result.layers == 1 ? "" : "s") checked, \(layers) damaged; "
                + "\(result.packageSets) package set\(result.packageSets == 1 ? "" : "s") checked, \(result.removed.count - layers) damaged")
            if !result.removed.isEmpty { throw CommandFailure(.failure, "") }
        }
    }

    struct Prune: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Remove layers and package sets unused for N days, then the least recently used beyond a size.")
        @OptionGroup var options: Options
        @Option(name: .customLong("keep-days"), help: "Remove entries not used for more than this many days.")
        var keepDays: Int?
        @Option(name: .customLong("max-size"), help: ArgumentHelp("Then remove the least recently used until the cache is at most this size (10G, 500M).", valueName: "size"))
        var maxSize: String?

        func validate() throws {
            if keepDays == nil && maxSize == nil { throw ValidationError("give --keep-days N, --max-size SIZE or both") }
            if let maxSize, CacheMaintenance.parseSize(maxSize) == nil { throw ValidationError("--max-size: '\(maxSize)' is not a size such as 10G or 500M") }
        }

        func run() throws {
            let removed = try options.maintenance().prune(keepDays: keepDays, maxBytes: maxSize.flatMap(CacheMaintenance.parseSize))
            for row in removed { print("removed \(row.key.prefix(16)) (\(row.kind == .packages ? "packages " : "")\(row.software) \(row.version), \(CacheMaintenance.size(row.bytes)))") }
            print("\(removed.count) entr\(removed.count == 1 ? "y" : "ies") removed, \(CacheMaintenance.size(removed.reduce(0) { $0 + $1.bytes })) freed")
        }
    }

    struct Keygen: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Make an Ed25519 key that signs uploads to the remote cache; print its public key for trusted_keys.",
            discussion: "The private key is written as PEM with mode 0600 and never overwritten. Give readers the printed public key (or the .pub file) in remote_cache.trusted_keys.")
        @Argument(help: "Where to write the private key (a .pub file with the public key is written beside it).")
        var path: String

        func run() throws {
            let key: Ed25519PublicKeyText
            do { key = try Ed25519PublicKeyText.generate(at: path) } catch {
                throw CommandFailure(.badInput, "\(error)")
            }
            print("private key: \(path) (mode 0600; keep it secret, e.g. a CI secret)")
            print("public key:  \(key.hex)")
            print("key id:      \(key.keyID)")
            print("public key file: \(path).pub")
        }
    }

    struct Clear: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Remove the cached layers and packages of one project.")
        @OptionGroup var options: Options
        @Argument(help: "The project whose layers to remove.", completion: .custom(NameCompletion.projects))
        var project: String

        func run() throws {
            let removed = try options.maintenance().clear(project: project)
            print("\(removed.count) entr\(removed.count == 1 ? "y" : "ies") of \(project) removed, \(CacheMaintenance.size(removed.reduce(0) { $0 + $1.bytes })) freed")
        }
    }
}
