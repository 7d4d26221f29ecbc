extension RuleFiles {
    // Live vaccines whose indications are targeted (out of scope here): the engine reports only their
    // contraindication, so the doctor sees it before giving one.
    static let varicella = RuleFile(name: "varicella.rules", text: """
    group varicella
    label Varicelle
    reference Calendrier des vaccinations 2025, chapitre Recommandations, Varicelle; contre-indications des vaccins vivants
    source Calendrier des vaccinations 2025: vaccin vivant, contre-indiqué pendant la grossesse et en cas
    source d'immunodépression. Les indications ciblées (adolescents et femmes sans antécédent) ne sont pas couvertes.
    counts varicella
    contraindicated-when pregnant condition:immunosuppression condition:transplant
    """)

    static let yellowFever = RuleFile(name: "yellow-fever.rules", text: """
    group yellow-fever
    label Fièvre jaune
    reference Calendrier des vaccinations 2025, chapitre Recommandations, Fièvre jaune; contre-indications des vaccins vivants
    source Calendrier des vaccinations 2025: vaccin vivant, contre-indiqué en cas d'immunodépression et pendant la
    source grossesse (sauf nécessité impérieuse). Les indications (Guyane, voyages) ne sont pas couvertes.
    counts yellowFever
    contraindicated-when pregnant condition:immunosuppression condition:transplant
    """)

    static let bcg = RuleFile(name: "bcg.rules", text: """
    group bcg
    label Tuberculose (BCG)
    reference Calendrier des vaccinations 2025, chapitre Recommandations, Tuberculose; contre-indications des vaccins vivants
    source Calendrier des vaccinations 2025: vaccin vivant, contre-indiqué en cas d'immunodépression et pendant la
    source grossesse. Les indications ciblées (enfants exposés) ne sont pas couvertes.
    counts tuberculosis
    contraindicated-when pregnant condition:immunosuppression condition:transplant condition:hiv
    """)
}
