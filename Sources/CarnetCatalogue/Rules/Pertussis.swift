extension RuleFiles {
    static let pertussis = RuleFile(name: "pertussis.rules", text: """
    # Coqueluche: same childhood schedule as DTP, a last adult booster at 25 years.
    group pertussis
    label Coqueluche
    reference Calendrier des vaccinations 2025, chapitre Recommandations, Coqueluche (population générale)
    source Calendrier des vaccinations 2025: DTCaP 2, 4, 11 mois; 6 ans; dTcaP 11-13 ans; dTcaP à 25 ans,
    source rattrapage jusqu'à 39 ans révolus pour les adultes sans rappel coquelucheux depuis 5 ans.
    counts pertussis
    grace 1m

    series primo-vaccination et rappels
    dose earliest 6w due 2m overdue 3m
    dose interval 1m due 4m due-interval 2m overdue 5m
    dose earliest 11m interval 6m due 11m overdue 12m
    dose earliest 6y interval 1y due 6y overdue 7y skip-at 11y
    dose earliest 11y interval 2y due 11y overdue 14y skip-at 25y
    dose earliest 24y interval 5y due 25y overdue 26y skip-at 40y
    """)
}
