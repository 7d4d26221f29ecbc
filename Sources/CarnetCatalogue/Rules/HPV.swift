extension RuleFiles {
    static let hpv = RuleFile(name: "hpv.rules", text: """
    # Papillomavirus humains (filles et garçons).
    group hpv
    label Papillomavirus humains (HPV)
    reference Calendrier des vaccinations 2025, chapitre Recommandations, Infections à papillomavirus humains
    source Calendrier des vaccinations 2025: 2 doses espacées de 6 à 13 mois entre 11 et 14 ans;
    source rattrapage de 15 à 19 ans révolus: 3 doses (0, 2, 6 mois).
    counts hpv
    until 20y

    series deux doses (11 à 14 ans) start-before 15y
    dose earliest 9y due 11y overdue 15y
    dose interval 5m due-interval 6m overdue-interval 7m

    series trois doses (rattrapage 15 à 19 ans) start-before 20y
    dose earliest 9y due 15y overdue 20y
    dose interval 1m due-interval 2m overdue-interval 2m
    dose interval 3m due-interval 4m overdue-interval 2m
    """)
}
