extension RuleFiles {
    static let hib = RuleFile(name: "hib.rules", text: """
    # Haemophilus influenzae b: infants, catch-up until the fifth birthday.
    group hib
    label Haemophilus influenzae b
    reference Calendrier des vaccinations 2025, chapitre Recommandations, Haemophilus influenzae de type b
    source Calendrier des vaccinations 2025: 2, 4, 11 mois (vaccin hexavalent); rattrapage jusqu'à 5 ans:
    source une dose unique après 12 mois si la vaccination n'a pas commencé avant.
    counts hib
    until 5y

    series nourrisson start-before 12m
    dose earliest 6w due 2m overdue 3m
    dose interval 1m due 4m due-interval 2m overdue 5m
    dose earliest 11m interval 6m due 11m overdue 12m

    series rattrapage 1 à 4 ans start-before 5y
    dose earliest 12m due 12m overdue 13m
    """)
}
