extension RuleFiles {
    static let covid19 = RuleFile(name: "covid19.rules", text: """
    # Covid-19 à partir de 65 ans, chaque automne (campagne conjointe avec la grippe).
    group covid19
    label Covid-19
    source Calendrier des vaccinations 2025 et HAS: une dose chaque automne à partir de 65 ans (la dose
    source de printemps des 80 ans et plus et les personnes à risque ne sont pas couvertes ici).
    counts covid19
    seasonal from 65y start 10-14 end 01-31 counts-from 09-01
    """)
}
