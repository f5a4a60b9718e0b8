/// Elapsed times as people read them: `8s`, `2m30s`, `1h02m`; `20.1s` where tenths matter.
enum Durations {
    static func text(_ seconds: Double, tenths: Bool = false) -> String {
        if tenths && seconds < 60 { return String(format: "%.1fs", max(0, seconds)) }
        let whole = max(0, Int(seconds))
        if whole < 60 { return "\(whole)s" }
        if whole < 3600 { return "\(whole / 60)m\(String(format: "%02d", whole % 60))s" }
        return "\(whole / 3600)h\(String(format: "%02d", whole / 60 % 60))m"
    }
}
