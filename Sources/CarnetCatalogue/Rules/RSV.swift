extension RuleFiles {
    static let rsv = RuleFile(name: "rsv.rules", text: """
    # Virus respiratoire syncytial chez la personne âgée: une dose à partir de 75 ans, dès 65 ans avec une
    # pathologie respiratoire ou cardiaque chronique.
    group rsv
    label Virus respiratoire syncytial (VRS)
    reference Calendrier des vaccinations 2025, chapitre Recommandations, Virus respiratoire syncytial (personnes âgées)
    source Calendrier des vaccinations 2025 (HAS 2024): une dose à partir de 75 ans, et dès 65 ans en cas de
    source pathologie respiratoire chronique ou cardiaque. Comptent les vaccins (Arexvy, Abrysvo, mResvia),
    source pas l'anticorps nirsévimab (Beyfortus) du nourrisson.
    counts rsv
    valence-any VAL316 VAL322 VAL383
    grace 1y

    series 65 ans et plus avec pathologie chronique when condition:chronic-respiratory condition:chronic-heart
    dose earliest 65y due 65y overdue 66y

    series dose unique
    dose earliest 75y due 75y overdue 76y
    """)
}
