import Definitions
import Foundation
import Linkage

/// The linkage health check as a project sees it: its allow-list additions and exemptions, and
/// findings attributed to the software whose layer installed each file.
package enum ProjectHealthCheck {
    package static func policy(for project: Project) -> HealthCheckPolicy {
        HealthCheckPolicy(additionalAllowed: project.healthCheck.allow,
                          exemptions: project.healthCheck.exempt.map { .init($0.path, reason: $0.reason) },
                          notLoaded: [DebugTarball.notLoaded])
    }

    /// File (relative to the install dir) -> software, from the layer records of the last build.
    package static func owners(workDir: String, project: String) -> [String: String] {
        let paths = WorkPaths(workDir: workDir, project: project)
        var owners: [String: String] = [:]
        let records = ((try? FileManager.default.contentsOfDirectory(atPath: paths.layersDir)) ?? []).sorted()
        for record in records where record.hasSuffix(".json") {
            guard let data = FileManager.default.contents(atPath: paths.layersDir + "/" + record),
                  let layer = try? JSONDecoder().decode(Layer.self, from: data) else { continue }
            for entry in layer.entries where owners[entry.path] == nil { owners[entry.path] = layer.software }
        }
        return owners
    }

    package static func check(project: Project, owners: [String: String]) throws(HealthCheckError) -> HealthReport {
        try HealthChecker().check(installDir: project.installDir, policy: policy(for: project), owners: owners)
    }
}
