import Testing
@testable import CarnetCatalogue
import CarnetJSON

/// Older French products counted by their valences (issue 12, item 7), by CIS in the built-in NUVA snapshot.
let olderProducts: [String: String] = ["PENTACOQ": "60906295", "TETRACOQ": "62224329", "DTPOLIO": "60737692",
                                       "ABRYSVO": "60990140", "MENQUADFI": "63064137"]

/// One row: a person, a day, a history and the host's context (the very JSON a host passes) →
/// what one group must say, and the rule that says it.
struct PopulationCase: Sendable, CustomTestStringConvertible {
    var name: String
    var birth: String
    var at: String
    var history: [String]
    var context: String
    var group: String
    /// nil: the group must be absent.
    var status: ForecastStatus?
    /// Expected `reason.ruleID`.
    var rule: String?
    var due: String? = nil
    var latest: String? = nil
    var counted: Int? = nil
    var testDescription: String { name }
}

func P(_ name: String, _ birth: String, _ at: String, _ history: [String], _ context: String, _ group: String,
       _ status: ForecastStatus?, _ rule: String? = nil, due: String? = nil, latest: String? = nil,
       counted: Int? = nil) -> PopulationCase {
    PopulationCase(name: name, birth: birth, at: at, history: history, context: context, group: group, status: status,
                   rule: rule, due: due, latest: latest, counted: counted)
}

let noContext = "{}"
let woman = "1995-03-10"
func pregnantWeeks(_ w: Int, days: Int = 0) -> String { "{\"pregnancy\":{\"weeks_of_amenorrhoea\":\(w),\"days\":\(days)}}" }
func conditions(_ names: String...) -> String {
    "{\"conditions\":[" + names.map { "\"\($0)\"" }.joined(separator: ",") + "]}"
}
func exposures(_ names: String...) -> String {
    "{\"exposures\":[" + names.map { "\"\($0)\"" }.joined(separator: ",") + "]}"
}

/// The healthy 40-year-old of issue 13: nothing of the older adult's calendar applies yet.
let forty = "1985-06-15"
let fortyToday = "2025-06-16"
let fortyHistory = childhood("1985-06-15") + ["2010-06-15 REPEVAX"]

let riskConditionsPneumo = ["immunosuppression", "transplant", "asplenia", "hiv", "chronic-heart", "chronic-respiratory",
                            "chronic-kidney", "chronic-liver", "diabetes", "csf-leak", "cochlear-implant", "dialysis"]
let fluRiskConditions = ["chronic-respiratory", "chronic-heart", "diabetes", "chronic-kidney", "chronic-liver",
                         "immunosuppression", "transplant", "hiv", "nursing-home-resident"]

let populationCases: [PopulationCase] = [
    // Statuses: "not recommended" (nothing applies now) vs "not yet due" (in the schedule, or within a year).
    P("40 y: zoster not recommended, not 'not yet due' in 2050", forty, fortyToday, fortyHistory, noContext, "zoster", .notRecommended, "zoster:not-yet-applicable"),
    P("40 y: adult pneumococcus not recommended", forty, fortyToday, fortyHistory, noContext, "pneumococcal-adult", .notRecommended, "pneumococcal-adult:not-yet-applicable"),
    P("40 y: influenza not recommended", forty, fortyToday, fortyHistory, noContext, "influenza", .notRecommended, "influenza:not-yet-applicable"),
    P("40 y: covid-19 not recommended", forty, fortyToday, fortyHistory, noContext, "covid19", .notRecommended, "covid19:not-yet-applicable"),
    P("40 y: RSV not recommended", forty, fortyToday, fortyHistory, noContext, "rsv", .notRecommended, "rsv:not-yet-applicable"),
    P("40 y: DTP booster at 45 is scheduled (not yet due)", forty, fortyToday, fortyHistory, noContext, "dtp", .notDue, "dtp:series-1", due: "2030-06-15"),
    P("40 y: pertussis complete after dTcaP at 25", forty, fortyToday, fortyHistory, noContext, "pertussis", .complete, "pertussis:series-1"),
    P("40 y: pertussis in pregnancy absent when not pregnant", forty, fortyToday, fortyHistory, noContext, "pertussis-pregnancy", nil),
    P("40 y: RSV infant group absent", forty, fortyToday, fortyHistory, noContext, "rsv-infant", nil),
    P("40 y: no live-vaccine warning without context", forty, fortyToday, fortyHistory, noContext, "varicella", nil),
    P("40 y: meningococcal risk groups absent", forty, fortyToday, fortyHistory, noContext, "meningococcal-b-risk", nil),
    P("40 y: hepatitis B risk absent", forty, fortyToday, fortyHistory, noContext, "hepatitis-b-risk", nil),
    P("30 y: zoster not recommended", "1995-01-01", "2025-01-01", [], noContext, "zoster", .notRecommended, "zoster:not-yet-applicable"),
    P("63 y: zoster still not recommended", "1962-01-01", "2025-01-01", [], noContext, "zoster", .notRecommended, "zoster:not-yet-applicable"),
    P("64 y less one day before the horizon: not recommended", "1961-01-02", "2025-01-01", [], noContext, "zoster", .notRecommended, "zoster:not-yet-applicable"),
    P("exactly one year before 65: zoster not yet due", "1961-01-01", "2025-01-01", [], noContext, "zoster", .notDue, "zoster:series-2", due: "2026-01-01"),
    P("exactly one year before 65: pneumococcus not yet due", "1961-01-01", "2025-01-01", [], noContext, "pneumococcal-adult", .notDue, "pneumococcal-adult:series-2", due: "2026-01-01"),
    P("day before the horizon: pneumococcus not recommended", "1961-01-02", "2025-01-01", [], noContext, "pneumococcal-adult", .notRecommended, "pneumococcal-adult:not-yet-applicable"),
    P("exactly one year before 75: RSV not yet due", "1951-01-01", "2025-01-01", [], noContext, "rsv", .notDue, "rsv:series-2", due: "2026-01-01"),
    P("74 y less one day: RSV not recommended", "1951-01-02", "2025-01-01", [], noContext, "rsv", .notRecommended, "rsv:not-yet-applicable"),
    P("70 y: RSV not recommended without a chronic condition", "1955-03-01", "2025-03-01", [], noContext, "rsv", .notRecommended, "rsv:not-yet-applicable"),
    P("flu: 65 on 1 Nov 2026, seen 1 Nov 2025: not yet due", "1961-11-01", "2025-11-01", [], noContext, "influenza", .notDue, "influenza:seasonal", due: "2026-11-01"),
    P("flu: 65 on 1 Nov 2026, seen 31 Oct 2025: not recommended", "1961-11-01", "2025-10-31", [], noContext, "influenza", .notRecommended, "influenza:not-yet-applicable"),
    P("infant: HPV not recommended at 2 months", infant, "2025-03-15", [], noContext, "hpv", .notRecommended, "hpv:not-yet-applicable"),
    P("infant: MMR within the year is not yet due", infant, "2025-03-15", [], noContext, "mmr", .notDue, "mmr:series-1", due: "2026-01-15"),
    P("infant: adolescent MenACWY not recommended", infant, "2025-03-15", [], noContext, "meningococcal-acwy-adolescent", .notRecommended, "meningococcal-acwy-adolescent:not-yet-applicable"),
    P("pertussis: catch-up past 39 is not recommended (age limit)", "1985-06-15", "2025-06-15", childhood("1985-06-15"), noContext, "pertussis", .notRecommended, "pertussis:age-limit"),
    P("pcv: unfinished at 2 years, not recommended (age limit)", infant, "2027-01-15", ["2026-03-01 PREVENAR20"], noContext, "pneumococcal-child", .notRecommended, "pneumococcal-child:age-limit"),
    P("reason of an overdue dose names its date", infant, "2025-04-15", [], noContext, "dtp", .overdue, "dtp:series-1"),

    // Pertussis during each pregnancy, 20 to 36 weeks of amenorrhoea.
    P("pregnancy 10 SA: pertussis not yet due", woman, "2025-09-01", [], pregnantWeeks(10), "pertussis-pregnancy", .notDue, "pertussis-pregnancy:pregnancy", due: "2025-11-10", latest: "2026-03-08"),
    P("pregnancy 19 SA: pertussis not yet due", woman, "2025-11-01", [], pregnantWeeks(19), "pertussis-pregnancy", .notDue, "pertussis-pregnancy:pregnancy", due: "2025-11-08"),
    P("pregnancy 19 SA + 6 days: not yet due", woman, "2025-11-01", [], pregnantWeeks(19, days: 6), "pertussis-pregnancy", .notDue, "pertussis-pregnancy:pregnancy", due: "2025-11-02"),
    P("pregnancy 20 SA: pertussis due", woman, "2025-11-01", [], pregnantWeeks(20), "pertussis-pregnancy", .due, "pertussis-pregnancy:pregnancy", due: "2025-11-01", latest: "2026-02-27"),
    P("pregnancy 28 SA: pertussis due", woman, "2025-11-01", [], pregnantWeeks(28), "pertussis-pregnancy", .due, "pertussis-pregnancy:pregnancy"),
    P("pregnancy 36 SA: last week, still due", woman, "2025-11-01", [], pregnantWeeks(36), "pertussis-pregnancy", .due, "pertussis-pregnancy:pregnancy", latest: "2025-11-07"),
    P("pregnancy 36 SA + 6 days: last day, still due", woman, "2025-11-01", [], pregnantWeeks(36, days: 6), "pertussis-pregnancy", .due, "pertussis-pregnancy:pregnancy"),
    P("pregnancy 37 SA: window passed, overdue", woman, "2025-11-01", [], pregnantWeeks(37), "pertussis-pregnancy", .overdue, "pertussis-pregnancy:pregnancy"),
    P("pregnancy 40 SA: overdue", woman, "2025-11-01", [], pregnantWeeks(40), "pertussis-pregnancy", .overdue, "pertussis-pregnancy:pregnancy"),
    P("pregnancy: dTcaP at 25 SA of this pregnancy completes", woman, "2025-11-01", ["2025-10-01 REPEVAX"], pregnantWeeks(30), "pertussis-pregnancy", .complete, "pertussis-pregnancy:pregnancy", counted: 1),
    P("pregnancy: a dose in the previous pregnancy does not count", woman, "2025-11-01", ["2023-10-01 REPEVAX"], pregnantWeeks(24), "pertussis-pregnancy", .due, "pertussis-pregnancy:pregnancy", counted: 0),
    P("pregnancy: dTP without pertussis does not count", woman, "2025-11-01", ["2025-10-01 REVAXIS"], pregnantWeeks(30), "pertussis-pregnancy", .due, "pertussis-pregnancy:pregnancy", counted: 0),
    P("pregnancy by expected delivery date (23 SA): due", woman, "2025-09-15", [], "{\"pregnancy\":{\"expected_delivery_date\":\"2026-01-10\"}}", "pertussis-pregnancy", .due, "pertussis-pregnancy:pregnancy", due: "2025-08-23"),
    P("pregnancy by expected delivery date (early): not yet due", woman, "2025-06-01", [], "{\"pregnancy\":{\"expected_delivery_date\":\"2026-01-10\"}}", "pertussis-pregnancy", .notDue, "pertussis-pregnancy:pregnancy", due: "2025-08-23"),
    P("pregnancy dated for a future assessment (planning the next visit)", woman, "2025-12-01", [], "{\"assessment_date\":\"2025-12-01\",\"pregnancy\":{\"weeks_of_amenorrhoea\":21}}", "pertussis-pregnancy", .due, "pertussis-pregnancy:pregnancy"),

    // Live vaccines contraindicated in pregnancy and immunosuppression.
    P("pregnancy: MMR contraindicated", woman, "2025-11-01", [], pregnantWeeks(12), "mmr", .contraindicated, "mmr:contraindicated"),
    P("pregnancy: varicella contraindicated", woman, "2025-11-01", [], pregnantWeeks(12), "varicella", .contraindicated, "varicella:contraindicated"),
    P("pregnancy: yellow fever contraindicated", woman, "2025-11-01", [], pregnantWeeks(12), "yellow-fever", .contraindicated, "yellow-fever:contraindicated"),
    P("pregnancy: BCG contraindicated", woman, "2025-11-01", [], pregnantWeeks(12), "bcg", .contraindicated, "bcg:contraindicated"),
    P("immunosuppression: MMR contraindicated", woman, "2025-11-01", [], conditions("immunosuppression"), "mmr", .contraindicated, "mmr:contraindicated"),
    P("transplant: varicella contraindicated", woman, "2025-11-01", [], conditions("transplant"), "varicella", .contraindicated, "varicella:contraindicated"),
    P("immunosuppression: yellow fever contraindicated", woman, "2025-11-01", [], conditions("immunosuppression"), "yellow-fever", .contraindicated, "yellow-fever:contraindicated"),
    P("HIV: BCG contraindicated", woman, "2025-11-01", [], conditions("hiv"), "bcg", .contraindicated, "bcg:contraindicated"),
    P("HIV alone: MMR not contraindicated (the host says immunosuppression when CD4 are low)", woman, "2025-11-01", [], conditions("hiv"), "mmr", .overdue, "mmr:series-1"),
    P("diabetes: no live-vaccine contraindication", woman, "2025-11-01", [], conditions("diabetes"), "varicella", nil),
    P("expected delivery 13 days ago: still pregnant, MMR contraindicated", woman, "2025-11-01", [], "{\"pregnancy\":{\"expected_delivery_date\":\"2025-10-19\"}}", "mmr", .contraindicated, "mmr:contraindicated"),
    P("expected delivery 14 days ago (42 SA): pregnancy over, MMR catch-up", woman, "2025-11-01", [], "{\"pregnancy\":{\"expected_delivery_date\":\"2025-10-18\"}}", "mmr", .overdue, "mmr:series-1"),
    P("after the pregnancy, planned visit: MMR catch-up again", woman, "2026-01-15", [], "{\"assessment_date\":\"2026-01-15\",\"pregnancy\":{\"expected_delivery_date\":\"2026-01-01\"}}", "mmr", .overdue, "mmr:series-1"),

    // RSV: maternal vaccination (Abrysvo, 32-36 SA, in the campaign) or nirsevimab for the infant.
    P("RSV maternal: 30 SA in October, not yet due", woman, "2025-10-01", [], pregnantWeeks(30), "rsv-maternal", .notDue, "rsv-maternal:pregnancy", due: "2025-10-15", latest: "2025-11-18"),
    P("RSV maternal: 33 SA in October, due", woman, "2025-10-22", [], pregnantWeeks(33), "rsv-maternal", .due, "rsv-maternal:pregnancy"),
    P("RSV maternal: window cut by the campaign's end", woman, "2026-01-10", [], pregnantWeeks(31), "rsv-maternal", .notDue, "rsv-maternal:pregnancy", due: "2026-01-17", latest: "2026-01-31"),
    P("RSV maternal: after the campaign, nirsevimab instead", woman, "2026-02-05", [], "{\"assessment_date\":\"2026-02-05\",\"pregnancy\":{\"expected_delivery_date\":\"2026-03-14\"}}", "rsv-maternal", .notRecommended, "rsv-maternal:after-window"),
    P("RSV maternal: window in spring, out of campaign", woman, "2026-03-01", [], pregnantWeeks(20), "rsv-maternal", .notRecommended, "rsv-maternal:out-of-campaign"),
    P("RSV maternal: Abrysvo at 34 SA completes", woman, "2025-11-01", ["2025-10-20 ABRYSVO"], pregnantWeeks(36), "rsv-maternal", .complete, "rsv-maternal:pregnancy", counted: 1),
    P("RSV maternal: Arexvy is not the maternal vaccine", woman, "2025-10-22", ["2025-10-20 AREXVY"], pregnantWeeks(33), "rsv-maternal", .due, "rsv-maternal:pregnancy", counted: 0),
    P("RSV maternal: absent when not pregnant", woman, "2025-10-22", [], noContext, "rsv-maternal", nil),
    P("nirsevimab: born in the campaign, due from birth", "2025-10-20", "2025-10-21", [], noContext, "rsv-infant", .due, "rsv-infant:seasonal", due: "2025-10-20", latest: "2026-01-31"),
    P("nirsevimab: born in spring, due at the campaign's start", "2025-05-01", "2025-08-15", [], noContext, "rsv-infant", .notDue, "rsv-infant:seasonal", due: "2025-09-01"),
    P("nirsevimab: born in spring, due in September", "2025-05-01", "2025-09-10", [], noContext, "rsv-infant", .due, "rsv-infant:seasonal"),
    P("nirsevimab: given, complete", "2025-05-01", "2025-11-10", ["2025-09-10 BEYFORTUS"], noContext, "rsv-infant", .complete, "rsv-infant:seasonal", counted: 1),
    P("nirsevimab: mother vaccinated, not recommended", "2025-10-20", "2025-10-21", [], conditions("maternal-rsv-vaccination"), "rsv-infant", .notRecommended, "rsv-infant:context"),
    P("nirsevimab: born 2 Jan 2025, under 8 months at the start: due", "2025-01-02", "2025-09-10", [], noContext, "rsv-infant", .due, "rsv-infant:seasonal"),
    P("nirsevimab: born 1 Jan 2025, 8 months at the start: past the first season", "2025-01-01", "2025-09-10", [], noContext, "rsv-infant", nil),
    P("nirsevimab: the vaccine Arexvy does not count", "2025-05-01", "2025-09-10", ["2025-09-05 AREXVY"], noContext, "rsv-infant", .due, "rsv-infant:seasonal", counted: 0),

    // RSV for older adults with a chronic condition from 65.
    P("RSV 70 y with chronic respiratory disease: overdue", "1955-03-01", "2025-03-01", [], conditions("chronic-respiratory"), "rsv", .overdue, "rsv:series-1"),
    P("RSV 70 y with heart disease: overdue", "1955-03-01", "2025-03-01", [], conditions("chronic-heart"), "rsv", .overdue, "rsv:series-1"),
    P("RSV 65 y with heart disease: due on the birthday", "1960-03-01", "2025-03-01", [], conditions("chronic-heart"), "rsv", .due, "rsv:series-1", due: "2025-03-01"),
    P("RSV 70 y with diabetes only: not recommended", "1955-03-01", "2025-03-01", [], conditions("diabetes"), "rsv", .notRecommended, "rsv:not-yet-applicable"),
    P("RSV 70 y with heart disease, vaccinated: complete", "1955-03-01", "2025-06-01", ["2025-03-10 AREXVY"], conditions("chronic-heart"), "rsv", .complete, "rsv:series-1"),

    // Influenza and COVID-19 campaigns for named groups.
    P("flu pregnant in the campaign: due", woman, "2025-11-01", [], pregnantWeeks(12), "influenza", .due, "influenza:seasonal", latest: "2026-01-31"),
    P("flu pregnant before the campaign: not yet due", woman, "2025-09-20", [], pregnantWeeks(12), "influenza", .notDue, "influenza:seasonal", due: "2025-10-14"),
    P("covid pregnant in the campaign: due", woman, "2025-11-01", [], pregnantWeeks(12), "covid19", .due, "covid19:seasonal"),
    P("flu health worker: due", "1990-01-01", "2025-11-01", [], exposures("health-worker"), "influenza", .due, "influenza:seasonal"),
    P("covid health worker: due", "1990-01-01", "2025-11-01", [], exposures("health-worker"), "covid19", .due, "covid19:seasonal"),
    P("flu childcare worker: not a flu group", "1990-01-01", "2025-11-01", [], exposures("childcare-worker"), "influenza", .notRecommended, "influenza:not-yet-applicable"),
    P("flu obesity at 30: due", "1995-01-01", "2025-11-01", [], conditions("obesity"), "influenza", .due, "influenza:seasonal"),
    P("flu obesity at 17: from 18 next season", "2008-05-01", "2025-11-01", [], conditions("obesity"), "influenza", .notDue, "influenza:seasonal", due: "2026-10-14"),
    P("flu heart disease, 5 months old: at 6 months", "2025-06-01", "2025-11-15", [], conditions("chronic-heart"), "influenza", .notDue, "influenza:seasonal", due: "2025-12-01"),
    P("flu heart disease, 6 months old: due", "2025-06-01", "2025-12-01", [], conditions("chronic-heart"), "influenza", .due, "influenza:seasonal"),
    P("flu diabetic vaccinated this season: complete", "1980-01-01", "2025-11-20", ["2025-10-20 VAXIGRIPTETRA"], conditions("diabetes"), "influenza", .complete, "influenza:seasonal", due: "2026-10-14"),
    P("flu diabetic, dose on 1 Sept counts", "1980-01-01", "2025-11-20", ["2025-09-01 VAXIGRIPTETRA"], conditions("diabetes"), "influenza", .complete, "influenza:seasonal"),
    P("flu diabetic, dose on 31 Aug does not count", "1980-01-01", "2025-11-20", ["2025-08-31 VAXIGRIPTETRA"], conditions("diabetes"), "influenza", .due, "influenza:seasonal"),
    P("flu diabetic, 13 Oct: campaign not open", "1980-01-01", "2025-10-13", [], conditions("diabetes"), "influenza", .notDue, "influenza:seasonal", due: "2025-10-14"),
    P("flu diabetic, 14 Oct: campaign opens", "1980-01-01", "2025-10-14", [], conditions("diabetes"), "influenza", .due, "influenza:seasonal"),
    P("flu diabetic, 31 Jan: last day", "1980-01-01", "2026-01-31", [], conditions("diabetes"), "influenza", .due, "influenza:seasonal", latest: "2026-01-31"),
    P("flu diabetic, 1 Feb: next campaign", "1980-01-01", "2026-02-01", [], conditions("diabetes"), "influenza", .notDue, "influenza:seasonal", due: "2026-10-14"),
    P("covid immunosuppressed at 40: due", "1985-01-01", "2025-11-01", [], conditions("immunosuppression"), "covid19", .due, "covid19:seasonal"),
    P("covid nursing home at 60: due", "1965-01-01", "2025-11-01", [], conditions("nursing-home-resident"), "covid19", .due, "covid19:seasonal"),
    P("covid health worker at 17: from 18, more than a year ahead", "2008-12-01", "2025-11-01", [], exposures("health-worker"), "covid19", .notRecommended, "covid19:not-yet-applicable"),
    P("covid health worker turning 18 in a month: not yet due", "2007-12-01", "2025-11-01", [], exposures("health-worker"), "covid19", .notDue, "covid19:seasonal", due: "2025-12-01"),
    P("covid diabetic vaccinated this autumn: complete", "1980-01-01", "2025-12-01", ["2025-10-20 COMIRNATY"], conditions("diabetes"), "covid19", .complete, "covid19:seasonal"),
    P("flu at 65 in a leap year's campaign", "1960-02-29", "2025-11-01", [], noContext, "influenza", .due, "influenza:seasonal"),
    P("flu: born 29 Feb 1960, 65 on 28 Feb 2025, off season", "1960-02-29", "2025-03-01", [], noContext, "influenza", .notDue, "influenza:seasonal", due: "2025-10-14"),

    // Pneumococcus for adults at risk (one PCV20 dose from 18).
    P("pneumo asplenia at 30 with PCV20: complete", "1995-01-01", "2025-06-01", ["2025-01-10 PREVENAR20"], conditions("asplenia"), "pneumococcal-adult", .complete, "pneumococcal-adult:series-1"),
    P("pneumo asplenia at 30 with PCV13 only: overdue", "1995-01-01", "2025-06-01", ["2025-01-10 PREVENAR13"], conditions("asplenia"), "pneumococcal-adult", .overdue, "pneumococcal-adult:series-1", counted: 0),
    P("pneumo diabetes at 17 and a half: at 18", "2008-03-01", "2025-09-01", [], conditions("diabetes"), "pneumococcal-adult", .notDue, "pneumococcal-adult:series-1", due: "2026-03-01"),
    P("pneumo diabetes at 16: not recommended yet", "2009-03-01", "2025-03-01", [], conditions("diabetes"), "pneumococcal-adult", .notRecommended, "pneumococcal-adult:not-yet-applicable"),
    P("pneumo diabetes at 18: due", "2007-03-01", "2025-03-01", [], conditions("diabetes"), "pneumococcal-adult", .due, "pneumococcal-adult:series-1", due: "2025-03-01"),
    P("pneumo obesity is not a pneumococcal risk", "1985-01-01", "2025-06-01", [], conditions("obesity"), "pneumococcal-adult", .notRecommended, "pneumococcal-adult:not-yet-applicable"),
    P("pneumo at 70 without risk: the 65-year dose", "1955-01-01", "2025-06-01", [], noContext, "pneumococcal-adult", .overdue, "pneumococcal-adult:series-2"),

    // Meningococci for asplenia and complement deficiency.
    P("MenACWY asplenia at 30: overdue", "1995-01-01", "2025-06-01", [], conditions("asplenia"), "meningococcal-acwy-risk", .overdue, "meningococcal-acwy-risk:series-1"),
    P("MenB asplenia at 30: overdue", "1995-01-01", "2025-06-01", [], conditions("asplenia"), "meningococcal-b-risk", .overdue, "meningococcal-b-risk:series-1"),
    P("MenACWY complement deficiency: overdue", "1995-01-01", "2025-06-01", [], conditions("complement-deficiency"), "meningococcal-acwy-risk", .overdue, "meningococcal-acwy-risk:series-1"),
    P("MenB complement deficiency: overdue", "1995-01-01", "2025-06-01", [], conditions("complement-deficiency"), "meningococcal-b-risk", .overdue, "meningococcal-b-risk:series-1"),
    P("MenACWY asplenia, dose 2 years ago: booster in 3 years", "1995-01-01", "2025-06-01", ["2023-06-01 NIMENRIX"], conditions("asplenia"), "meningococcal-acwy-risk", .notDue, "meningococcal-acwy-risk:series-1", due: "2028-06-01"),
    P("MenACWY asplenia, dose 5 years ago: booster due", "1995-01-01", "2025-06-01", ["2020-06-01 NIMENRIX"], conditions("asplenia"), "meningococcal-acwy-risk", .due, "meningococcal-acwy-risk:series-1", due: "2025-06-01"),
    P("MenACWY asplenia, dose 6 years ago: booster overdue", "1995-01-01", "2025-06-01", ["2019-06-01 MENQUADFI"], conditions("asplenia"), "meningococcal-acwy-risk", .overdue, "meningococcal-acwy-risk:series-1"),
    P("MenB asplenia, one Bexsero 2 weeks ago: dose 2 in a month", "1995-01-01", "2025-06-01", ["2025-05-18 BEXSERO"], conditions("asplenia"), "meningococcal-b-risk", .notDue, "meningococcal-b-risk:series-1", due: "2025-06-18"),
    P("MenB asplenia, two doses: booster in 5 years", "1995-01-01", "2025-06-01", ["2025-03-01 BEXSERO", "2025-04-01 BEXSERO"], conditions("asplenia"), "meningococcal-b-risk", .notDue, "meningococcal-b-risk:series-1", due: "2030-04-01"),
    P("MenACWY asplenia at 1 year: from 2 years", "2024-06-01", "2025-06-01", [], conditions("asplenia"), "meningococcal-acwy-risk", .notDue, "meningococcal-acwy-risk:series-1", due: "2026-06-01"),
    P("MenB: MenC-only vaccine does not count for the risk group", "1995-01-01", "2025-06-01", ["2025-01-01 NEISVAC"], conditions("asplenia"), "meningococcal-b-risk", .overdue, "meningococcal-b-risk:series-1", counted: 0),

    // Hepatitis B for exposed groups.
    P("hepB health worker at 30, never vaccinated: overdue", "1995-01-01", "2025-06-01", [], exposures("health-worker"), "hepatitis-b-risk", .overdue, "hepatitis-b-risk:series-1"),
    P("hepB health worker, one dose last month: dose 2 due", "1995-01-01", "2025-06-01", ["2025-05-01 ENGERIX20"], exposures("health-worker"), "hepatitis-b-risk", .due, "hepatitis-b-risk:series-1", due: "2025-06-01"),
    P("hepB health worker, two doses: third 5 months later", "1995-01-01", "2025-06-01", ["2025-04-01 ENGERIX20", "2025-05-01 ENGERIX20"], exposures("health-worker"), "hepatitis-b-risk", .notDue, "hepatitis-b-risk:series-1", due: "2025-10-01"),
    P("hepB health worker, three doses: complete", "1995-01-01", "2025-12-01", ["2025-04-01 ENGERIX20", "2025-05-01 ENGERIX20", "2025-10-01 ENGERIX20"], exposures("health-worker"), "hepatitis-b-risk", .complete, "hepatitis-b-risk:series-1"),
    P("hepB health worker vaccinated as an infant: complete", infant, "2045-06-01", hexa3, exposures("health-worker"), "hepatitis-b-risk", .complete, "hepatitis-b-risk:series-1", counted: 3),
    P("hepB dialysis: overdue", "1970-01-01", "2025-06-01", [], conditions("dialysis"), "hepatitis-b-risk", .overdue, "hepatitis-b-risk:series-1"),
    P("hepB chronic liver disease: overdue", "1970-01-01", "2025-06-01", [], conditions("chronic-liver"), "hepatitis-b-risk", .overdue, "hepatitis-b-risk:series-1"),
    P("hepB HIV: overdue", "1970-01-01", "2025-06-01", [], conditions("hiv"), "hepatitis-b-risk", .overdue, "hepatitis-b-risk:series-1"),
    P("hepB childcare worker: not a hepatitis B group", "1995-01-01", "2025-06-01", [], exposures("childcare-worker"), "hepatitis-b-risk", nil),
    P("hepB health worker immune: immune", "1995-01-01", "2025-06-01", [], "{\"exposures\":[\"health-worker\"],\"immunities\":[\"hepB\"]}", "hepatitis-b-risk", .immune, "hepatitis-b-risk:immune"),

    // Zoster for the immunocompromised from 18.
    P("zoster immunosuppressed at 30: overdue", "1995-01-01", "2025-06-01", [], conditions("immunosuppression"), "zoster", .overdue, "zoster:series-1"),
    P("zoster transplant at 40: overdue", "1985-01-01", "2025-06-01", [], conditions("transplant"), "zoster", .overdue, "zoster:series-1"),
    P("zoster HIV at 40: overdue", "1985-01-01", "2025-06-01", [], conditions("hiv"), "zoster", .overdue, "zoster:series-1"),
    P("zoster immunosuppressed, dose 1 a month ago: dose 2 not yet due", "1985-01-01", "2025-06-01", ["2025-05-01 SHINGRIX"], conditions("immunosuppression"), "zoster", .notDue, "zoster:series-1", due: "2025-07-01"),
    P("zoster immunosuppressed, two doses: complete", "1985-01-01", "2025-09-01", ["2025-05-01 SHINGRIX", "2025-06-15 SHINGRIX"], conditions("immunosuppression"), "zoster", .complete, "zoster:series-1"),
    P("zoster immunosuppressed at 17 and a half: at 18", "2008-01-01", "2025-07-01", [], conditions("immunosuppression"), "zoster", .notDue, "zoster:series-1", due: "2026-01-01"),
    P("zoster immunosuppressed: Zostavax does not count", "1985-01-01", "2025-06-01", ["2020-01-01 ZOSTAVAX"], conditions("immunosuppression"), "zoster", .overdue, "zoster:series-1", counted: 0),
    P("zoster diabetes at 40: not recommended", "1985-01-01", "2025-06-01", [], conditions("diabetes"), "zoster", .notRecommended, "zoster:not-yet-applicable"),

    // Known immunity.
    P("immunity to measles, mumps and rubella: MMR immune", "1990-01-01", "2025-06-01", [], "{\"immunities\":[\"measles\",\"mumps\",\"rubella\"]}", "mmr", .immune, "mmr:immune"),
    P("immunity to measles only: MMR still overdue", "1990-01-01", "2025-06-01", [], "{\"immunities\":[\"measles\"]}", "mmr", .overdue, "mmr:series-1"),
    P("immunity by NUVA codes", "1990-01-01", "2025-06-01", [], "{\"immunities\":[\"DIS008\",\"DIS009\",\"DIS010\"]}", "mmr", .immune, "mmr:immune"),
    P("immunity to hepatitis B: catch-up immune", "2012-09-01", "2025-09-01", [], "{\"immunities\":[\"hepB\"]}", "hepatitis-b", .immune, "hepatitis-b:immune"),
    P("pregnant and immune to varicella: still flagged contraindicated", woman, "2025-11-01", [], "{\"pregnancy\":{\"weeks_of_amenorrhoea\":12},\"immunities\":[\"varicella\"]}", "varicella", .contraindicated, "varicella:contraindicated"),

    // Older products counted by their valences (issue 12, item 7).
    P("PENTACOQ infant doses count for DTP", "1975-01-10", "1980-06-01", ["1975-03-10 PENTACOQ", "1975-04-10 PENTACOQ", "1975-05-10 PENTACOQ", "1976-05-10 PENTACOQ"], noContext, "dtp", .notDue, "dtp:series-1", due: "1981-01-10", counted: 3),
    P("PENTACOQ counts for pertussis", "1975-01-10", "1980-06-01", ["1975-03-10 PENTACOQ", "1975-04-10 PENTACOQ", "1976-05-10 PENTACOQ"], noContext, "pertussis", .notDue, "pertussis:series-1", counted: 3),
    P("PENTACOQ counts for Hib", "1975-01-10", "1980-06-01", ["1975-03-10 PENTACOQ", "1975-04-10 PENTACOQ", "1976-05-10 PENTACOQ"], noContext, "hib", .complete, "hib:series-1", counted: 3),
    P("TETRACOQ doses count for DTP", "1978-02-01", "1983-06-01", ["1978-04-01 TETRACOQ", "1978-05-01 TETRACOQ", "1979-04-01 TETRACOQ"], noContext, "dtp", .notDue, "dtp:series-1", counted: 3),
    P("TETRACOQ counts for pertussis", "1978-02-01", "1983-06-01", ["1978-04-01 TETRACOQ", "1978-05-01 TETRACOQ", "1979-04-01 TETRACOQ"], noContext, "pertussis", .notDue, "pertussis:series-1", counted: 3),
    P("D.T. POLIO boosters count for DTP", "1975-01-10", "1990-01-01", ["1975-03-10 PENTACOQ", "1975-04-10 PENTACOQ", "1976-05-10 PENTACOQ", "1981-01-10 DTPOLIO", "1986-01-10 DTPOLIO"], noContext, "dtp", .notDue, "dtp:series-1", due: "2000-01-10", counted: 5),
    P("D.T. POLIO does not count for pertussis", "1975-01-10", "1981-06-01", ["1975-03-10 PENTACOQ", "1975-04-10 PENTACOQ", "1976-05-10 PENTACOQ", "1981-01-10 DTPOLIO"], noContext, "pertussis", .due, "pertussis:series-1", counted: 3),
    P("up-to-date 50-year-old with older products: DTP not overdue", "1975-01-10", "2025-06-01", ["1975-03-10 PENTACOQ", "1975-04-10 PENTACOQ", "1976-05-10 PENTACOQ", "1981-01-10 DTPOLIO", "1986-01-10 DTPOLIO", "2000-01-10 REVAXIS", "2020-01-10 REVAXIS"], noContext, "dtp", .notDue, "dtp:series-1", due: "2040-01-10", counted: 7),
]
    + riskConditionsPneumo.map { c in
        P("pneumo \(c) at 40: overdue (rule for adults at risk)", "1985-01-01", "2025-06-01", [], conditions(c), "pneumococcal-adult", .overdue, "pneumococcal-adult:series-1")
    }
    + fluRiskConditions.map { c in
        P("flu \(c) at 40 in the campaign: due", "1985-01-01", "2025-11-01", [], conditions(c), "influenza", .due, "influenza:seasonal")
    }
    + fluRiskConditions.map { c in
        P("flu \(c) at 40 in June: next campaign", "1985-01-01", "2025-06-01", [], conditions(c), "influenza", .notDue, "influenza:seasonal", due: "2025-10-14")
    }

@Suite("Special populations, statuses and reasons (2025 calendar)")
struct SpecialPopulationTableTests {
    static let engine = RecommendationEngine(catalogue: .builtIn)

    @Test func tableIsLargeEnough() {
        #expect(populationCases.count >= 150)
        #expect(Set(populationCases.map(\.name)).count == populationCases.count, "case names are unique")
        let groups = Set(calendarCases.map(\.group) + populationCases.map(\.group))
        #expect(groups == Set(RuleFiles.rules.map(\.id)))
        let statuses = Set(populationCases.compactMap(\.status))
        #expect(statuses == Set(ForecastStatus.allCases))
    }

    @Test(arguments: populationCases)
    func population(_ c: PopulationCase) throws {
        let birth = try #require(CivilDate(c.birth))
        let at = try #require(CivilDate(c.at))
        let json = try JSONValue.parse(c.context)
        let request = try ForecastRequest.host(json, today: at)
        var history: [AdministeredDose] = []
        for (i, entry) in c.history.enumerated() {
            let parts = entry.split(separator: " ")
            let date = try #require(parts.count == 2 ? CivilDate(parts[0]) : nil, "bad history entry \(entry)")
            let name = String(parts[1])
            let product = try #require(productCodes[name] ?? olderProducts[name], "unknown product \(name)")
            history.append(AdministeredDose(date: date, productCode: product, reference: "Immunization/\(i + 1)"))
        }
        let forecasts = Self.engine.forecast(birthDate: birth, assessmentDate: request.assessmentDate ?? at,
                                             history: history, context: request.context)
        let forecast = forecasts.first { $0.group == c.group }
        guard let expected = c.status else {
            #expect(forecast == nil, "expected \(c.group) absent, got \(String(describing: forecast?.status))")
            return
        }
        let f = try #require(forecast, "no forecast for \(c.group)")
        #expect(f.status == expected, "\(f.reason.text)")
        if let rule = c.rule { #expect(f.reason.ruleID == rule) }
        #expect(!f.reason.text.isEmpty && !f.reason.reference.isEmpty, "every forecast says why, and where from")
        if expected == .notRecommended {
            #expect(f.dueDate == nil && f.earliestDate == nil, "no far-off date for what does not apply")
        }
        if let due = c.due { #expect(f.dueDate?.iso == due) }
        if let latest = c.latest { #expect(f.latestDate?.iso == latest) }
        if let counted = c.counted { #expect(f.supportingDoses.count == counted) }
    }
}
