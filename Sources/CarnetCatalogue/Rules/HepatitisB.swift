extension RuleFiles {
    static let hepatitisB = RuleFile(name: "hepatitis-b.rules", text: """
    # Hépatite B: infants, catch-up until 15 years inclusive.
    group hepatitis-b
    label Hépatite B
    reference Calendrier des vaccinations 2025, chapitre Recommandations, Hépatite B (nourrisson, rattrapage de l'enfant et de l'adolescent)
    source Calendrier des vaccinations 2025: 2, 4, 11 mois (vaccin hexavalent); rattrapage jusqu'à 15 ans
    source révolus: schéma 0, 1, 6 mois, ou de 11 à 15 ans schéma à 2 doses espacées de 6 mois
    source (Engerix B 20 µg).
    counts hepB
    until 16y

    series nourrisson et enfant start-before 11y
    dose earliest 6w due 2m overdue 3m
    dose interval 1m due 4m due-interval 1m overdue 5m
    dose interval 5m due 11m overdue 12m

    series rattrapage 11 à 15 ans start-before 16y
    dose earliest 11y due 11y overdue 16y
    dose interval 6m due-interval 6m overdue-interval 6m
    """)
}
