import Foundation
import OmnibusCLI

// Build steps and omnibus itself create the files that get packaged: one fixed umask makes their
// modes the same whoever runs the build (a caller's 077 would otherwise ship files only root can
// read, a 002 group-writable ones).
umask(0o022)
exit(await OmnibusCommand.run(arguments: Array(CommandLine.arguments.dropFirst())))
