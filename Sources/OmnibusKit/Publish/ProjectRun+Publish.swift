import Definitions
import Foundation

extension ProjectRun {
    /// `omnibus publish PROJECT`: adds the packages of the project's current version to the
    /// repositories that the flags or omnibus.config.yml name.
    package func publish(_ projectName: String, _ flags: PublishSettings.Flags,
                         currentDirectory: String = FileManager.default.currentDirectoryPath) async throws(RunError)
        -> [ProjectPublishing.Outcome] {
        let project: Project
        do { project = try workspace.loadProject(projectName) } catch { throw .badInput(error.description) }
        let publishing = try PublishSettings.resolve(flags, config: workspace.config.publish, projectName: project.name,
                                                     summary: project.description,
                                                     currentDirectory: currentDirectory)
        let version: String
        do {
            version = try await ProjectVersionResolver.resolve(project.version, repositoryRoot: workspace.repository.root,
                                                               environment: environment)
        } catch {
            throw .badInput(error.description)
        }
        if Task.isCancelled { throw .cancelled(.publish) }
        return try await ProjectPublishing(project: project, version: version, outputDir: settings.outputDir, settings: publishing,
                                           signing: settings.signing, sourceDateEpoch: settings.sourceDateEpoch).publish()
    }
}
