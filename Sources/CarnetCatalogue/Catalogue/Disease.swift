/// The diseases of the French calendar as NUVA targets, with the short keys the rule
/// files use (`diphtheria`, `hepB`, `menACWY`...).
public enum Disease {
    public static let diphtheria = TargetDisease(code: "DIS001", label: "Diphtérie")
    public static let tetanus = TargetDisease(code: "DIS002", label: "Tétanos")
    public static let pertussis = TargetDisease(code: "DIS003", label: "Coqueluche")
    public static let polio = TargetDisease(code: "DIS004", label: "Poliomyélite")
    public static let hib = TargetDisease(code: "DIS005", label: "Haemophilus influenzae b")
    public static let hepatitisB = TargetDisease(code: "DIS006", label: "Hépatite B")
    public static let measles = TargetDisease(code: "DIS008", label: "Rougeole")
    public static let mumps = TargetDisease(code: "DIS009", label: "Oreillons")
    public static let rubella = TargetDisease(code: "DIS010", label: "Rubéole")
    public static let varicella = TargetDisease(code: "DIS011", label: "Varicelle")
    public static let tuberculosis = TargetDisease(code: "DIS014", label: "Tuberculose")
    public static let influenza = TargetDisease(code: "DIS015", label: "Grippe saisonnière")
    public static let hepatitisA = TargetDisease(code: "DIS016", label: "Hépatite A")
    public static let yellowFever = TargetDisease(code: "DIS017", label: "Fièvre jaune")
    public static let pneumococcus = TargetDisease(code: "DIS025", label: "Pneumocoque")
    public static let rotavirus = TargetDisease(code: "DIS032", label: "Rotavirus")
    public static let zoster = TargetDisease(code: "DIS033", label: "Zona")
    public static let hpv = TargetDisease(code: "DIS038", label: "Papillomavirus")
    public static let meningococcusC = TargetDisease(code: "DIS043", label: "Méningocoque C")
    public static let meningococcusA = TargetDisease(code: "DIS044", label: "Méningocoque A")
    public static let meningococcusB = TargetDisease(code: "DIS045", label: "Méningocoque B")
    public static let meningococcusW = TargetDisease(code: "DIS046", label: "Méningocoque W")
    public static let meningococcusY = TargetDisease(code: "DIS047", label: "Méningocoque Y")
    public static let covid19 = TargetDisease(code: "DIS057", label: "Covid 19")
    public static let rsv = TargetDisease(code: "DIS058", label: "Virus Respiratoire Syncytial")

    /// Rule-file keys.
    public static let byKey: [String: TargetDisease] = [
        "diphtheria": diphtheria, "tetanus": tetanus, "pertussis": pertussis, "polio": polio,
        "hib": hib, "hepB": hepatitisB, "measles": measles, "mumps": mumps, "rubella": rubella,
        "varicella": varicella, "tuberculosis": tuberculosis, "influenza": influenza,
        "hepA": hepatitisA, "yellowFever": yellowFever, "pneumococcus": pneumococcus, "rotavirus": rotavirus, "zoster": zoster,
        "hpv": hpv, "menC": meningococcusC, "menA": meningococcusA, "menB": meningococcusB,
        "menW": meningococcusW, "menY": meningococcusY, "covid19": covid19, "rsv": rsv,
    ]

    /// Every known disease by NUVA code.
    public static let byCode: [String: TargetDisease] = {
        var out: [String: TargetDisease] = [:]
        for (_, d) in byKey { out[d.code] = d }
        return out
    }()
}
