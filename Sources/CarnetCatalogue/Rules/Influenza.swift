extension RuleFiles {
    static let influenza = RuleFile(name: "influenza.rules", text: """
    # Grippe saisonnière: chaque automne à partir de 65 ans, et plus tôt pour les groupes que le
    # calendrier nomme (grossesse, maladies chroniques, immunodépression, obésité, EHPAD, soignants).
    group influenza
    label Grippe saisonnière
    reference Calendrier des vaccinations 2025, chapitre Recommandations, Grippe saisonnière
    source Calendrier des vaccinations 2025: vaccination annuelle à partir de 65 ans; recommandée dès 6 mois
    source pour les personnes atteintes de pathologies chroniques (respiratoires, cardiaques, diabète,
    source rénales, hépatiques), immunodéprimées, obèses (IMC ≥ 40), résidant en EHPAD; pour les femmes
    source enceintes quel que soit le terme; pour les professionnels de santé. Campagne 2025-2026 du
    source 14 octobre 2025 au 31 janvier 2026. Une dose reçue depuis le 1er septembre compte pour la saison.
    counts influenza
    seasonal from 65y start 10-14 end 01-31 counts-from 09-01
    also-eligible from 0d when pregnant
    also-eligible from 6m when condition:chronic-respiratory condition:chronic-heart condition:diabetes condition:chronic-kidney condition:chronic-liver condition:immunosuppression condition:transplant condition:hiv condition:nursing-home-resident
    also-eligible from 18y when condition:obesity exposure:health-worker
    # Dates de chaque saison, telles que publiées (les saisons non listées suivent la ligne seasonal).
    campaign 2025-10-14 2026-01-31 counts-from 2025-09-01
    """)
}
