extension RuleFiles {
    static let pertussisPregnancy = RuleFile(name: "pertussis-pregnancy.rules", text: """
    # Coqueluche pendant la grossesse: une dose de dTcaP à chaque grossesse.
    group pertussis-pregnancy
    label Coqueluche (grossesse)
    reference Calendrier des vaccinations 2025, chapitre Recommandations, Coqueluche (femmes enceintes)
    source Calendrier des vaccinations 2025 (HAS 2022): vaccination de la femme enceinte à chaque grossesse,
    source de préférence entre 20 et 36 semaines d'aménorrhée; à défaut, la mère est vaccinée avant la sortie
    source de la maternité (non couvert ici: le post-partum et la stratégie du cocooning).
    counts pertussis
    applies-when pregnant
    pregnancy from 20w to 36w
    """)

    static let rsvMaternal = RuleFile(name: "rsv-maternal.rules", text: """
    # VRS: vaccination de la femme enceinte (Abrysvo) pendant la campagne, ou nirsévimab pour le nourrisson.
    group rsv-maternal
    label Virus respiratoire syncytial (grossesse)
    reference Calendrier des vaccinations 2025, chapitre Recommandations, Virus respiratoire syncytial (femmes enceintes et nourrissons)
    source Calendrier des vaccinations 2025 (HAS 2024): Abrysvo entre 32 et 36 semaines d'aménorrhée pendant la
    source campagne saisonnière; sinon le nourrisson reçoit le nirsévimab (Beyfortus). Campagne 2025-2026:
    source du 1er septembre 2025 au 31 janvier 2026 (dates de saison: à vérifier chaque année).
    counts rsv
    valence-any VAL322
    applies-when pregnant
    pregnancy from 32w to 36w in-campaign
    campaign 2025-09-01 2026-01-31 counts-from 2025-09-01
    """)

    static let rsvInfant = RuleFile(name: "rsv-infant.rules", text: """
    # VRS du nourrisson: une dose de nirsévimab (Beyfortus) pour sa première saison, sauf si sa mère a été
    # vaccinée pendant la grossesse.
    group rsv-infant
    label Virus respiratoire syncytial (nourrisson, nirsévimab)
    reference Calendrier des vaccinations 2025, chapitre Recommandations, Virus respiratoire syncytial (femmes enceintes et nourrissons)
    source Calendrier des vaccinations 2025 (HAS 2024): nirsévimab pour les nourrissons avant leur première saison
    source (dès la naissance pendant la campagne, au début de la campagne pour ceux nés avant), sauf mère
    source vaccinée par Abrysvo au moins 14 jours avant la naissance. Première saison: l'enfant a moins de
    source 8 mois au début de la campagne (approximation du moteur; les enfants à risque en 2e saison ne sont
    source pas couverts).
    counts rsv
    valence-any VAL321
    not-recommended-when condition:maternal-rsv-vaccination
    until 8m
    seasonal from 0d start 09-01 end 01-31 counts-from 09-01
    once
    campaign 2025-09-01 2026-01-31 counts-from 2025-09-01
    """)
}
