/// One line of the live area: what is written (maybe with colour codes) and how many terminal
/// columns it takes (the codes take none).
struct DisplayLine: Sendable, Equatable {
    var text: String
    var width: Int
}
