extension RuleFiles {
    static let zoster = RuleFile(name: "zoster.rules", text: """
    # Zona à partir de 65 ans: vaccin recombinant adjuvé (Shingrix), 2 doses.
    group zoster
    label Zona
    source Calendrier des vaccinations 2025 (HAS 2024): Shingrix à partir de 65 ans, 2 doses espacées
    source de 2 mois (jusqu'à 6 mois). Le vaccin vivant (Zostavax) ne compte pas: valence gE VAL013.
    counts zoster
    valence-any VAL013
    grace 4m

    series deux doses
    dose earliest 65y due 65y overdue 66y
    dose interval 2m due-interval 2m
    """)
}
