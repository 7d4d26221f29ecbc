extension RuleFiles {
    static let pneumococcalAdult = RuleFile(name: "pneumococcal-adult.rules", text: """
    # Pneumocoque de l'adulte: une dose de vaccin conjugué 20-valent à partir de 65 ans, et dès 18 ans
    # pour les adultes à risque d'infection invasive.
    group pneumococcal-adult
    label Pneumocoque (adulte)
    reference Calendrier des vaccinations 2025, chapitre Recommandations, Infections à pneumocoque (adulte de 65 ans et plus et adulte à risque)
    source Calendrier des vaccinations 2025 (HAS 2023-2025): une dose de VPC20 (Prevenar 20) à partir de 65 ans,
    source et pour tous les adultes à risque: immunodéprimés (dont asplénie, VIH, greffe), pathologies
    source chroniques cardiaques, respiratoires, rénales, hépatiques, diabète, brèche ostéoméningée, implant
    source cochléaire. Compte une dose portant la valence conjuguée du sérotype 8 (VAL193), présente dans
    source les vaccins conjugués 20- et 21-valents et absente des VPC13 et VPC15.
    counts pneumococcus
    valence-any VAL193
    grace 1y

    series adulte à risque when condition:immunosuppression condition:transplant condition:asplenia condition:hiv condition:chronic-heart condition:chronic-respiratory condition:chronic-kidney condition:chronic-liver condition:diabetes condition:csf-leak condition:cochlear-implant condition:dialysis
    dose earliest 18y due 18y overdue 19y

    series dose unique à 65 ans
    dose earliest 65y due 65y overdue 66y
    """)
}
