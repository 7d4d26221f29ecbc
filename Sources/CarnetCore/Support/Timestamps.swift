internal import CarnetCatalogue

/// FHIR instants and dates from Unix seconds (UTC), without Foundation.
enum Timestamps {
    static func instant(_ seconds: Int64) -> String {
        let days = seconds >= 0 ? seconds / 86_400 : -((-seconds + 86_399) / 86_400)
        let secondOfDay = seconds - days * 86_400
        let date = CivilDate.fromDayNumber(Int(clamping: days))
        func two(_ n: Int64) -> String { n < 10 ? "0\(n)" : "\(n)" }
        return "\(date.iso)T\(two(secondOfDay / 3600)):\(two(secondOfDay % 3600 / 60)):\(two(secondOfDay % 60))Z"
    }

    static func today() -> CivilDate {
        let seconds = Clock.nowSeconds()
        return CivilDate.fromDayNumber(Int(clamping: seconds / 86_400))
    }
}
