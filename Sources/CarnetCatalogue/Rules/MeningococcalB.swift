extension RuleFiles {
    static let meningococcalB = RuleFile(name: "meningococcal-b.rules", text: """
    # Méningocoque B: obligatoire pour les enfants nés à partir du 1er janvier 2025.
    group meningococcal-b
    label Méningocoque B
    reference Calendrier des vaccinations 2025, chapitre Recommandations, Infections invasives à méningocoques (B, nourrisson)
    source Calendrier des vaccinations 2025: 3, 5 et 12 mois (Bexsero); rattrapage entre 12 et 23 mois:
    source 2 doses à 2 mois d'intervalle et un rappel 12 mois plus tard (au-delà de 2 ans: non couvert ici).
    counts menB
    born-from 2025-01-01
    until 2y

    series nourrisson start-before 12m
    dose earliest 2m due 3m overdue 4m
    dose interval 2m due 5m overdue 6m
    dose earliest 12m interval 6m due 12m overdue 13m

    series rattrapage 12 à 23 mois start-before 2y
    dose earliest 12m due 12m overdue 13m
    dose interval 2m due-interval 2m
    dose interval 12m due-interval 12m
    """)
}
