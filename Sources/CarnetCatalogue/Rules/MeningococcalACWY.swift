extension RuleFiles {
    static let meningococcalACWYInfant = RuleFile(name: "meningococcal-acwy-infant.rules", text: """
    # Méningocoques ACWY chez le nourrisson: obligatoire pour les enfants nés à partir du 1er janvier 2025
    # (remplace le méningocoque C à 5 et 12 mois).
    group meningococcal-acwy-infant
    label Méningocoques ACWY (nourrisson)
    reference Calendrier des vaccinations 2025, chapitre Recommandations, Infections invasives à méningocoques (ACWY, nourrisson)
    source Calendrier des vaccinations 2025: MenACWY à 6 et 12 mois.
    counts menA menC menW menY
    born-from 2025-01-01
    until 2y

    series nourrisson
    dose earliest 6w due 6m overdue 7m
    dose earliest 12m interval 2m due 12m overdue 13m
    """)

    static let meningococcalACWYAdolescent = RuleFile(name: "meningococcal-acwy-adolescent.rules", text: """
    # Méningocoques ACWY à l'adolescence, quel que soit le statut vaccinal antérieur.
    group meningococcal-acwy-adolescent
    label Méningocoques ACWY (adolescent)
    reference Calendrier des vaccinations 2025, chapitre Recommandations, Infections invasives à méningocoques (ACWY, adolescent et jeune adulte)
    source Calendrier des vaccinations 2025: une dose de MenACWY entre 11 et 14 ans, rattrapage de 15 à 24 ans.
    counts menA menC menW menY
    until 25y

    series adolescent
    dose earliest 11y due 11y overdue 15y
    """)
}
