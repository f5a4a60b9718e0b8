import Foundation

/// A small terminal emulator for checking what a person sees: a grid of `columns` × `rows`
/// with a scrollback above it. It understands what the live display may send (printable
/// characters, CR, LF, CSI A/B/F/G/K/J, SGR, which it ignores) and wraps at the right margin like
/// xterm (a character written in the last column leaves the cursor there until the next one).
/// Anything else is recorded in `unknown`, so a test sees a sequence it did not expect.
struct TerminalScreen {
    struct Row: Equatable {
        var cells: [Character]
        /// The row holds the continuation of a line the terminal wrapped.
        var continued = false

        var text: String {
            var text = String(cells)
            while text.hasSuffix(" ") { text.removeLast() }
            return text
        }
    }

    let columns: Int
    let rows: Int
    private(set) var screen: [Row]
    private(set) var scrollback: [Row] = []
    private(set) var unknown: [String] = []
    private var row = 0
    private var column = 0
    private var pendingWrap = false

    init(columns: Int, rows: Int) {
        self.columns = columns
        self.rows = rows
        screen = Array(repeating: Row(cells: Array(repeating: " ", count: columns)), count: rows)
    }

    /// Everything ever shown, oldest first: the scrollback, then the screen down to its last
    /// non-empty row.
    var transcript: [Row] {
        var all = scrollback + screen
        while let last = all.last, last.text.isEmpty { all.removeLast() }
        return all
    }

    mutating func feed(_ bytes: [UInt8]) {
        feed(String(decoding: bytes, as: UTF8.self))
    }

    mutating func feed(_ text: String) {
        var characters = Array(text)[...]
        while let character = characters.popFirst() {
            switch character {
            case "\r\n":  // Swift joins CR LF into one Character
                column = 0
                lineFeed()
            case "\r":
                column = 0
                pendingWrap = false
            case "\n":
                lineFeed()
            case "\u{1B}":
                var sequence = "\u{1B}"
                guard characters.first == "[" else {
                    if let next = characters.popFirst() { sequence.append(next) }
                    unknown.append(sequence)
                    continue
                }
                sequence.append(characters.removeFirst())
                while let next = characters.popFirst() {
                    sequence.append(next)
                    if let ascii = next.asciiValue, (0x40...0x7E).contains(ascii) { break }
                }
                control(sequence)
            default:
                if let ascii = character.asciiValue, ascii < 0x20 || ascii == 0x7F {
                    unknown.append(String(character))
                    continue
                }
                put(character)
            }
        }
    }

    private mutating func put(_ character: Character) {
        if pendingWrap {
            column = 0
            lineFeed()
            screen[row].continued = true
        }
        screen[row].cells[column] = character
        if column == columns - 1 {
            pendingWrap = true
        } else {
            column += 1
        }
    }

    private mutating func lineFeed() {
        pendingWrap = false
        if row == rows - 1 {
            scrollback.append(screen.removeFirst())
            screen.append(Row(cells: Array(repeating: " ", count: columns)))
        } else {
            row += 1
        }
    }

    private mutating func control(_ sequence: String) {
        let final = sequence.last!
        let parameter = Int(sequence.dropFirst(2).dropLast()) ?? 0
        pendingWrap = false
        switch final {
        case "A": row = max(0, row - max(1, parameter))
        case "B": row = min(rows - 1, row + max(1, parameter))
        case "F":  // up, to the first column (the display before this one moved with it)
            row = max(0, row - max(1, parameter))
            column = 0
        case "G": column = min(columns - 1, max(1, parameter) - 1)
        case "K":
            let range: Range<Int> = switch parameter {
            case 1: 0..<(column + 1)
            case 2: 0..<columns
            default: column..<columns
            }
            for index in range { screen[row].cells[index] = " " }
        case "J":
            guard parameter == 0 else { unknown.append(sequence); return }
            for index in column..<columns { screen[row].cells[index] = " " }
            for below in (row + 1)..<rows { screen[below] = Row(cells: Array(repeating: " ", count: columns)) }
        case "m": break
        default: unknown.append(sequence)
        }
    }
}
