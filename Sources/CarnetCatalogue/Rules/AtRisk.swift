extension RuleFiles {
    static let meningococcalACWYRisk = RuleFile(name: "meningococcal-acwy-risk.rules", text: """
    # Méningocoques ACWY pour les personnes aspléniques ou ayant un déficit en complément.
    group meningococcal-acwy-risk
    label Méningocoques ACWY (asplénie, déficit en complément)
    reference Calendrier des vaccinations 2025, chapitre Recommandations, Infections invasives à méningocoques (personnes à risque)
    source Calendrier des vaccinations 2025: asplénie anatomique ou fonctionnelle, déficit en fraction terminale
    source du complément, en properdine, en facteur H, traitement par anti-C5: vaccin conjugué ACWY puis rappel
    source tous les 5 ans (avant 2 ans, le schéma du nourrisson s'applique).
    counts menA menC menW menY
    applies-when condition:asplenia condition:complement-deficiency

    series personnes à risque
    dose earliest 2y due 2y overdue 2y1m
    dose interval 5y due-interval 5y repeat 5y
    """)

    static let meningococcalBRisk = RuleFile(name: "meningococcal-b-risk.rules", text: """
    # Méningocoque B pour les personnes aspléniques ou ayant un déficit en complément.
    group meningococcal-b-risk
    label Méningocoque B (asplénie, déficit en complément)
    reference Calendrier des vaccinations 2025, chapitre Recommandations, Infections invasives à méningocoques (personnes à risque)
    source Calendrier des vaccinations 2025: mêmes indications que ACWY; Bexsero 2 doses à 1 mois d'intervalle
    source (à partir de 2 ans) puis rappel tous les 5 ans.
    counts menB
    applies-when condition:asplenia condition:complement-deficiency

    series personnes à risque
    dose earliest 2y due 2y overdue 2y1m
    dose interval 1m due-interval 1m
    dose interval 5y due-interval 5y repeat 5y
    """)

    static let hepatitisBRisk = RuleFile(name: "hepatitis-b-risk.rules", text: """
    # Hépatite B au-delà de 16 ans pour les groupes exposés que le calendrier nomme.
    group hepatitis-b-risk
    label Hépatite B (personnes exposées)
    reference Calendrier des vaccinations 2025, chapitre Recommandations, Hépatite B (groupes à risque) et vaccinations en milieu professionnel
    source Calendrier des vaccinations 2025: professionnels de santé (obligation), hémodialysés, hépatopathie
    source chronique, personnes vivant avec le VIH (parmi les groupes nommés; les autres expositions ne sont pas
    source dans le vocabulaire): schéma 0, 1, 6 mois (avant 16 ans, le rattrapage général s'applique).
    counts hepB
    applies-when exposure:health-worker condition:dialysis condition:chronic-liver condition:hiv

    series adulte exposé
    # Doses of any age count (a complete infant series protects); the first is due from 16 years.
    dose earliest 6w due 16y overdue 16y1m
    dose interval 1m due-interval 1m
    dose interval 5m due-interval 5m
    """)
}
