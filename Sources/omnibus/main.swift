import Foundation
import OmnibusCLI

// Build steps and omnibus itself create the files that get packaged: one fixed umask makes their
// modes the same whoever runs the build (a caller's 077 would otherwise ship files only root can
// read, a 002 group-writable ones).
umask(0o022)
// Set once, here, before any thread exists: a thread that unpacks an archive gets a private copy
// of the file-system context (ArchiveExtractor, unshare(CLONE_FS)), so a later process-wide
// umask() or chdir() would not reach it.
exit(await OmnibusCommand.run(arguments: Array(CommandLine.arguments.dropFirst())))
