/// French labels of the ATC classes of vaccines (J07), for the `displayName` the note's ATC
/// translation must carry. The catalogue gives each product's ATC code, not its label; these are the
/// labels of the fourth-level classes (J07AH "vaccins méningococciques"...), which every
/// fifth-level code of a vaccine falls under. The label written is the class's, said so in
/// docs/dmp.md: true of the code, never a made-up name for it. A code outside J07 gets none (the
/// note is then refused rather than labelled wrongly).
enum ATCLabels {
    static let classes: [String: String] = [
        "J07AC": "Vaccins du charbon",
        "J07AD": "Vaccins de la brucellose",
        "J07AE": "Vaccins du choléra",
        "J07AF": "Vaccins diphtériques",
        "J07AG": "Vaccins Haemophilus influenzae B",
        "J07AH": "Vaccins méningococciques",
        "J07AJ": "Vaccins coquelucheux",
        "J07AK": "Vaccins de la peste",
        "J07AL": "Vaccins pneumococciques",
        "J07AM": "Vaccins tétaniques",
        "J07AN": "Vaccins de la tuberculose",
        "J07AP": "Vaccins typhoïdiques",
        "J07AR": "Vaccins du typhus exanthématique",
        "J07AX": "Autres vaccins bactériens",
        "J07BA": "Vaccins des encéphalites",
        "J07BB": "Vaccins grippaux",
        "J07BC": "Vaccins des hépatites",
        "J07BD": "Vaccins de la rougeole",
        "J07BE": "Vaccins des oreillons",
        "J07BF": "Vaccins poliomyélitiques",
        "J07BG": "Vaccins rabiques",
        "J07BH": "Vaccins à rotavirus",
        "J07BJ": "Vaccins de la rubéole",
        "J07BK": "Vaccins varicelle-zona",
        "J07BL": "Vaccins de la fièvre jaune",
        "J07BM": "Vaccins papillomavirus",
        "J07BN": "Vaccins de la Covid-19",
        "J07BX": "Autres vaccins viraux",
        "J07CA": "Vaccins bactériens et viraux associés",
        "J07XA": "Vaccins antiparasitaires",
    ]

    /// The label for an ATC code of five levels (7 characters) or of its class (5 characters).
    static func label(_ code: String) -> String? {
        guard code.utf8.count >= 5, code.hasPrefix("J07") else { return nil }
        return classes[String(code.prefix(5))]
    }
}
