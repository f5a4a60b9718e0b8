import ArgumentParser
import OmnibusKit

/// `--with NAME` and `--without NAME`: turn a project's declared `flags:` on or off for its
/// `when:` conditions.
struct FlagOptions: ParsableArguments {
    @Option(name: .customLong("with"),
            help: ArgumentHelp("Turn on a flag the project declares in flags:, for when: conditions (repeatable).", valueName: "flag"))
    var with: [String] = []

    @Option(name: .customLong("without"),
            help: ArgumentHelp("Turn off a flag the project declares in flags:, for when: conditions (repeatable).", valueName: "flag"))
    var without: [String] = []

    var choices: FeatureChoices { FeatureChoices(with: with, without: without) }
}
