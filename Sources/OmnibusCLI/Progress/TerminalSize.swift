import Foundation

/// The size of the terminal behind a descriptor, read each time it is needed so a resized
/// window is drawn for its new size.
struct TerminalSize: Sendable, Equatable {
    var columns: Int
    var rows: Int

    static func current(of fd: Int32) -> TerminalSize? {
        var size = winsize()
        guard ioctl(fd, UInt(TIOCGWINSZ), &size) == 0, size.ws_col > 0, size.ws_row > 0 else { return nil }
        return TerminalSize(columns: Int(size.ws_col), rows: Int(size.ws_row))
    }
}
