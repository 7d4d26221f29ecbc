/// The documented vocabulary of the context the host passes (docs/recommendations.md,
/// "Context vocabulary"): each code, the calendar's own wording, and a standard code where one
/// fits the whole category (WHO ICD-10, `http://hl7.org/fhir/sid/icd-10`; none is invented where
/// the calendar's category spans several codes).
public enum PersonCondition: String, Sendable, Hashable, CaseIterable {
    case asplenia
    case complementDeficiency = "complement-deficiency"
    case immunosuppression
    case transplant
    case hiv
    case chronicRespiratory = "chronic-respiratory"
    case chronicHeart = "chronic-heart"
    case diabetes
    case chronicKidney = "chronic-kidney"
    case chronicLiver = "chronic-liver"
    case dialysis
    case obesity
    case csfLeak = "csf-leak"
    case cochlearImplant = "cochlear-implant"
    case nursingHomeResident = "nursing-home-resident"
    /// Said of an infant: the mother received a maternal RSV vaccine at least 14 days before birth.
    case maternalRSVVaccination = "maternal-rsv-vaccination"

    /// How the 2025 calendar names the category.
    public var calendarWording: String {
        switch self {
        case .asplenia: return "asplénie anatomique ou fonctionnelle"
        case .complementDeficiency:
            return "déficit en fraction terminale du complément, en properdine ou en facteur H, ou traitement par anti-C5"
        case .immunosuppression:
            return "immunodépression (déficit immunitaire, traitement immunosuppresseur, biothérapie, chimiothérapie)"
        case .transplant: return "greffe d'organe solide ou de cellules souches hématopoïétiques"
        case .hiv: return "infection par le VIH"
        case .chronicRespiratory: return "pathologie respiratoire chronique (BPCO, insuffisance respiratoire, asthme sévère)"
        case .chronicHeart: return "cardiopathie ou insuffisance cardiaque"
        case .diabetes: return "diabète"
        case .chronicKidney: return "insuffisance rénale chronique ou syndrome néphrotique"
        case .chronicLiver: return "hépatopathie chronique"
        case .dialysis: return "hémodialyse"
        case .obesity: return "obésité avec IMC ≥ 40 kg/m²"
        case .csfLeak: return "brèche ostéoméningée"
        case .cochlearImplant: return "implant cochléaire"
        case .nursingHomeResident: return "résidence en EHPAD ou en établissement de soins de longue durée"
        case .maternalRSVVaccination: return "mère vaccinée contre le VRS au moins 14 jours avant la naissance"
        }
    }

    /// WHO ICD-10 code when one names the whole category, else nil.
    public var icd10: String? {
        switch self {
        case .asplenia: return "D73.0"
        case .complementDeficiency: return "D84.1"
        case .immunosuppression: return "D84.9"
        case .transplant: return "Z94"
        case .hiv: return "B24"
        case .diabetes: return "E14"
        case .chronicKidney: return "N18"
        case .dialysis: return "Z99.2"
        case .obesity: return "E66"
        case .csfLeak: return "G96.0"
        case .nursingHomeResident: return "Z59.3"
        case .chronicRespiratory, .chronicHeart, .chronicLiver, .cochlearImplant, .maternalRSVVaccination:
            return nil
        }
    }

    /// Immunosuppression in the calendar's sense (live vaccines contraindicated, zoster from 18).
    var isImmunocompromising: Bool { self == .immunosuppression || self == .transplant || self == .hiv }
}

/// Professional exposure the calendar names.
public enum Exposure: String, Sendable, Hashable, CaseIterable {
    case healthWorker = "health-worker"
    case childcareWorker = "childcare-worker"

    public var calendarWording: String {
        switch self {
        case .healthWorker: return "professionnel de santé ou étudiant d'une profession de santé"
        case .childcareWorker: return "professionnel de la petite enfance"
        }
    }
}

public enum ContextVocabulary {
    /// The project's code systems for the context on the wire (Parameters of `$immds-forecast`).
    public static let conditionSystem = "urn:carnet:fhir:CodeSystem:person-condition"
    public static let exposureSystem = "urn:carnet:fhir:CodeSystem:exposure"
    public static let icd10System = "http://hl7.org/fhir/sid/icd-10"
}
