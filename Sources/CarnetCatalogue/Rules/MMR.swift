extension RuleFiles {
    static let mmr = RuleFile(name: "mmr.rules", text: """
    # Rougeole, oreillons, rubéole (ROR): deux doses pour toute personne née depuis 1980.
    group mmr
    label Rougeole, oreillons, rubéole (ROR)
    reference Calendrier des vaccinations 2025, chapitre Recommandations, Rougeole, oreillons, rubéole; contre-indications des vaccins vivants
    source Calendrier des vaccinations 2025: ROR à 12 mois et entre 16 et 18 mois; rattrapage à tout âge
    source pour les personnes nées depuis 1980 (2 doses au total, à au moins 1 mois d'intervalle).
    source Vaccin vivant: contre-indiqué pendant la grossesse et en cas d'immunodépression.
    counts measles mumps rubella
    contraindicated-when pregnant condition:immunosuppression condition:transplant
    born-from 1980-01-01

    series deux doses
    dose earliest 12m due 12m overdue 13m
    dose earliest 13m interval 1m due 16m overdue 19m
    """)
}
