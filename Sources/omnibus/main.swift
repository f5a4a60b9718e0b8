import Foundation
import OmnibusCLI

exit(await OmnibusCommand.run(arguments: Array(CommandLine.arguments.dropFirst())))
