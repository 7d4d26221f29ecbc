extension RuleFiles {
    static let influenza = RuleFile(name: "influenza.rules", text: """
    # Grippe saisonnière à partir de 65 ans, chaque automne.
    group influenza
    label Grippe saisonnière
    source Calendrier des vaccinations 2025: vaccination annuelle à partir de 65 ans; campagne 2025-2026
    source du 14 octobre 2025 au 31 janvier 2026. Une dose reçue depuis le 1er septembre compte pour la saison.
    counts influenza
    seasonal from 65y start 10-14 end 01-31 counts-from 09-01
    """)
}
