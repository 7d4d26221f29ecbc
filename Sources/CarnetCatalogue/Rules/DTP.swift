extension RuleFiles {
    static let dtp = RuleFile(name: "dtp.rules", text: """
    # Diphtérie, tétanos, poliomyélite: primary series and every booster of life; the catch-up of a
    # person first vaccinated at 16 years or later.
    group dtp
    label Diphtérie, tétanos, poliomyélite
    reference Calendrier des vaccinations 2025, chapitre Recommandations, Diphtérie, tétanos, poliomyélite; tableaux des vaccinations de l'enfant et de l'adulte; tableau de rattrapage des personnes jamais vaccinées
    source Calendrier des vaccinations 2025: DTCaP-Hib-HepB 2, 4, 11 mois; DTCaP 6 ans; dTcaP 11-13 ans;
    source dTP (dTcaP à 25 ans) à 25, 45, 65 ans puis tous les 10 ans; en cas de retard, un rappel puis
    source reprise aux âges fixes suivants (intervalle minimal de 5 ans entre deux rappels adultes: choix du moteur).
    source Rattrapage d'une personne jamais vaccinée: 3 doses à M0, M2, M8-M12, puis rappels aux âges fixes
    source suivants (même intervalle minimal de 5 ans).
    counts diphtheria tetanus polio
    grace 1m

    series primo-vaccination et rappels start-before 16y
    dose earliest 6w due 2m overdue 3m
    dose interval 1m due 4m due-interval 2m overdue 5m
    dose earliest 11m interval 6m due 11m overdue 12m
    dose earliest 6y interval 1y due 6y overdue 7y skip-at 11y
    dose earliest 11y interval 2y due 11y overdue 14y skip-at 25y
    dose earliest 24y interval 5y due 25y overdue 26y skip-at 45y
    dose earliest 44y interval 5y due 45y overdue 46y skip-at 65y
    dose earliest 64y interval 5y due 65y overdue 66y skip-at 75y
    dose earliest 74y interval 5y due 75y overdue 76y skip-at 85y repeat 10y

    # No dose before 16 years: M0, M2, M8-M12 (6 to 10 months after the second dose), then the
    # 25-year booster when the first dose came before 25 years, and the later fixed ages.
    series rattrapage (première dose entre 16 et 24 ans) start-before 25y
    dose due 16y overdue 16y1m
    dose interval 2m due-interval 2m overdue-interval 1m
    dose interval 6m due-interval 6m overdue-interval 4m
    dose earliest 24y interval 5y due 25y overdue 26y skip-at 45y
    dose earliest 44y interval 5y due 45y overdue 46y skip-at 65y
    dose earliest 64y interval 5y due 65y overdue 66y skip-at 75y
    dose earliest 74y interval 5y due 75y overdue 76y skip-at 85y repeat 10y

    series rattrapage (première dose à 25 ans ou plus)
    dose due 16y overdue 16y1m
    dose interval 2m due-interval 2m overdue-interval 1m
    dose interval 6m due-interval 6m overdue-interval 4m
    dose earliest 44y interval 5y due 45y overdue 46y skip-at 65y
    dose earliest 64y interval 5y due 65y overdue 66y skip-at 75y
    dose earliest 74y interval 5y due 75y overdue 76y skip-at 85y repeat 10y
    """)
}
