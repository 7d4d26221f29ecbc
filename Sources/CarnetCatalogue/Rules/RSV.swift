extension RuleFiles {
    static let rsv = RuleFile(name: "rsv.rules", text: """
    # Virus respiratoire syncytial à partir de 75 ans: une dose.
    group rsv
    label Virus respiratoire syncytial (VRS)
    source Calendrier des vaccinations 2025 (HAS 2024): une dose à partir de 75 ans (et dès 65 ans en cas
    source de pathologie chronique, non couvert ici). Comptent les vaccins (Arexvy, Abrysvo, mResvia),
    source pas l'anticorps nirsévimab (Beyfortus) du nourrisson.
    counts rsv
    valence-any VAL316 VAL322 VAL383
    grace 1y

    series dose unique
    dose earliest 75y due 75y overdue 76y
    """)
}
