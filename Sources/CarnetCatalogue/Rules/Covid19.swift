extension RuleFiles {
    static let covid19 = RuleFile(name: "covid19.rules", text: """
    # Covid-19: chaque automne à partir de 65 ans et pour les personnes à risque (campagne conjointe
    # avec la grippe).
    group covid19
    label Covid-19
    reference Calendrier des vaccinations 2025, chapitre Recommandations, Covid-19 (campagne d'automne)
    source Calendrier des vaccinations 2025 et HAS: une dose chaque automne à partir de 65 ans, et dès 6 mois pour
    source les personnes immunodéprimées ou atteintes de comorbidités, les femmes enceintes, les résidents
    source d'EHPAD, et les professionnels de santé (la dose de printemps des 80 ans et plus et des personnes
    source immunodéprimées n'est pas couverte ici). Campagne 2025-2026 du 14 octobre 2025 au 31 janvier 2026.
    counts covid19
    seasonal from 65y start 10-14 end 01-31 counts-from 09-01
    also-eligible from 0d when pregnant
    also-eligible from 6m when condition:immunosuppression condition:transplant condition:hiv condition:chronic-respiratory condition:chronic-heart condition:diabetes condition:chronic-kidney condition:chronic-liver condition:obesity condition:nursing-home-resident
    also-eligible from 18y when exposure:health-worker
    campaign 2025-10-14 2026-01-31 counts-from 2025-09-01
    """)
}
