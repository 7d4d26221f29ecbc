extension RuleFiles {
    static let pneumococcalChild = RuleFile(name: "pneumococcal-child.rules", text: """
    # Pneumocoque (vaccin conjugué) chez l'enfant de moins de 2 ans.
    group pneumococcal-child
    label Pneumocoque (nourrisson)
    reference Calendrier des vaccinations 2025, chapitre Recommandations, Infections à pneumocoque (nourrisson)
    source Calendrier des vaccinations 2025: vaccin conjugué à 2, 4 et 11 mois; rattrapage entre 12 et 23
    source mois: 2 doses à 2 mois d'intervalle.
    counts pneumococcus
    until 2y

    series nourrisson start-before 12m
    dose earliest 6w due 2m overdue 3m
    dose interval 1m due 4m due-interval 2m overdue 5m
    dose earliest 11m interval 6m due 11m overdue 12m

    series rattrapage 12 à 23 mois start-before 2y
    dose earliest 12m due 12m overdue 13m
    dose interval 2m due-interval 2m
    """)
}
