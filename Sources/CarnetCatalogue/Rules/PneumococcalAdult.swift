extension RuleFiles {
    static let pneumococcalAdult = RuleFile(name: "pneumococcal-adult.rules", text: """
    # Pneumocoque à partir de 65 ans: une dose de vaccin conjugué 20-valent.
    group pneumococcal-adult
    label Pneumocoque (65 ans et plus)
    source Calendrier des vaccinations 2025 (HAS 2023-2025): une dose de VPC20 (Prevenar 20) à partir de 65 ans.
    source Compte une dose portant la valence conjuguée du sérotype 8 (VAL193), présente dans les
    source vaccins conjugués 20- et 21-valents et absente des VPC13 et VPC15.
    counts pneumococcus
    valence-any VAL193
    grace 1y

    series dose unique
    dose earliest 65y due 65y overdue 66y
    """)
}
