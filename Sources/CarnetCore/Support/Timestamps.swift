internal import CarnetCatalogue

/// FHIR instants and dates from Unix seconds (UTC), without Foundation.
enum Timestamps {
    static func instant(_ unclamped: Int64) -> String {
        // Years 0001 to 9999: nothing a certificate or a store can hold is outside.
        let seconds = min(max(unclamped, -62_135_596_800), 253_402_300_799)
        let days = seconds >= 0 ? seconds / 86_400 : -((-seconds + 86_399) / 86_400)
        let secondOfDay = seconds - days * 86_400
        let date = CivilDate.fromDayNumber(Int(clamping: days))
        func two(_ n: Int64) -> String { n < 10 ? "0\(n)" : "\(n)" }
        return "\(date.iso)T\(two(secondOfDay / 3600)):\(two(secondOfDay % 3600 / 60)):\(two(secondOfDay % 60))Z"
    }
}
