import ArgumentParser
import OmnibusKit

struct ValidateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "validate",
        abstract: "Check definitions and print every problem (exit 2 if there is any).",
        discussion: """
            Without a project, checks every project and every software definition visible from the repository. \
            Warnings (what build would warn about, such as a software without license_files) go to stderr \
            and do not change the exit status.
            """)

    @OptionGroup var global: GlobalOptions

    @Argument(help: "Check only this project and the software it depends on.",
              completion: .custom(NameCompletion.projects))
    var project: String?

    func run() throws {
        let report = try global.workspace().validate(project: project)
        report.warnings.forEach { OmnibusCommand.printError($0.description) }
        guard report.passed else {
            let count = report.problemCount
            throw CommandFailure(.badInput, report.problemLines.joined(separator: "\n")
                                 + "\n\(count) problem\(count == 1 ? "" : "s") found")
        }
        print("ok: \(report.projects.count) project\(report.projects.count == 1 ? "" : "s"), "
              + "\(Set(report.software).count) software definition\(Set(report.software).count == 1 ? "" : "s") valid")
    }
}
