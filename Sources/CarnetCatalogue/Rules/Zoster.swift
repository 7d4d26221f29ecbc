extension RuleFiles {
    static let zoster = RuleFile(name: "zoster.rules", text: """
    # Zona: vaccin recombinant adjuvé (Shingrix), 2 doses, à partir de 65 ans, et dès 18 ans pour les
    # personnes immunodéprimées.
    group zoster
    label Zona
    reference Calendrier des vaccinations 2025, chapitre Recommandations, Zona
    source Calendrier des vaccinations 2025 (HAS 2024): Shingrix à partir de 65 ans, 2 doses espacées
    source de 2 mois (jusqu'à 6 mois); dès 18 ans chez les immunodéprimés (2 doses espacées de 1 à 2 mois).
    source Le vaccin vivant (Zostavax) ne compte pas: valence gE VAL013.
    counts zoster
    valence-any VAL013
    grace 4m

    series immunodéprimé when condition:immunosuppression condition:transplant condition:hiv
    dose earliest 18y due 18y overdue 19y
    dose interval 1m due-interval 2m

    series deux doses
    dose earliest 65y due 65y overdue 66y
    dose interval 2m due-interval 2m
    """)
}
