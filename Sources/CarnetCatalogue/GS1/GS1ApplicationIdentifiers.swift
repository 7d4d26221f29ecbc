/// The GS1 application identifiers (GS1 General Specifications, section 3) a medicine box may
/// carry: their length and whether it is fixed. A fixed-length element needs no FNC1 after it;
/// a variable-length one ends at FNC1 (GS, 0x1D) or at the end of the code.
enum GS1ApplicationIdentifiers {
    struct Spec: Sendable {
        var length: Int
        var fixed: Bool
        var numeric: Bool
        /// The value is a YYMMDD date.
        var date: Bool = false
    }

    /// The spec of the AI at the start of `digits` and the AI's length, or nil when no AI starts there.
    static func lookup(_ d: ArraySlice<UInt8>) -> (ai: String, spec: Spec)? {
        func digits(_ n: Int) -> String? {
            guard d.count >= n else { return nil }
            let s = d.prefix(n)
            guard s.allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }) else { return nil }
            return String(decoding: s, as: UTF8.self)
        }
        guard let two = digits(2) else { return nil }
        switch two {
        case "00": return (two, Spec(length: 18, fixed: true, numeric: true))
        case "01", "02", "03": return (two, Spec(length: 14, fixed: true, numeric: true))
        case "10", "21", "22": return (two, Spec(length: 20, fixed: false, numeric: false))
        case "11", "12", "13", "15", "16", "17": return (two, Spec(length: 6, fixed: true, numeric: true, date: true))
        case "20": return (two, Spec(length: 2, fixed: true, numeric: true))
        case "30", "37": return (two, Spec(length: 8, fixed: false, numeric: true))
        case "90": return (two, Spec(length: 30, fixed: false, numeric: false))
        case "91", "92", "93", "94", "95", "96", "97", "98", "99": return (two, Spec(length: 90, fixed: false, numeric: false))
        default: break
        }
        guard let three = digits(3) else { return nil }
        switch three {
        case "235": return (three, Spec(length: 28, fixed: false, numeric: false))
        case "240", "241", "250", "251", "400", "401", "403": return (three, Spec(length: 30, fixed: false, numeric: false))
        case "242": return (three, Spec(length: 6, fixed: false, numeric: true))
        case "243", "254", "420": return (three, Spec(length: 20, fixed: false, numeric: false))
        case "253": return (three, Spec(length: 30, fixed: false, numeric: false))
        case "402": return (three, Spec(length: 17, fixed: true, numeric: true))
        case "410", "411", "412", "413", "414", "415", "416", "417": return (three, Spec(length: 13, fixed: true, numeric: true))
        // National healthcare reimbursement numbers: 711 is France's (the CIP), 714 Portugal's...
        case "710", "711", "712", "713", "714", "715", "716", "717": return (three, Spec(length: 20, fixed: false, numeric: false))
        default: break
        }
        guard let four = digits(4) else { return nil }
        if let n = Int(four), (3100...3699).contains(n) { return (four, Spec(length: 6, fixed: true, numeric: true)) }
        switch four {
        case "7001": return (four, Spec(length: 13, fixed: true, numeric: true))
        case "7003": return (four, Spec(length: 10, fixed: true, numeric: true))
        case "7006": return (four, Spec(length: 6, fixed: true, numeric: true, date: true))
        case "7002", "7021", "7022", "8003", "8004", "8010": return (four, Spec(length: 30, fixed: false, numeric: false))
        case "7007", "8008", "8011": return (four, Spec(length: 12, fixed: false, numeric: false))
        case "7240", "8002", "8012", "7020", "7023": return (four, Spec(length: 20, fixed: false, numeric: false))
        case "8001": return (four, Spec(length: 14, fixed: true, numeric: true))
        case "8005": return (four, Spec(length: 6, fixed: true, numeric: true))
        case "8006", "8017", "8018", "8026": return (four, Spec(length: 18, fixed: true, numeric: true))
        case "8007": return (four, Spec(length: 34, fixed: false, numeric: false))
        case "8013", "8020": return (four, Spec(length: 25, fixed: false, numeric: false))
        case "8200": return (four, Spec(length: 70, fixed: false, numeric: false))
        default: return nil
        }
    }
}
