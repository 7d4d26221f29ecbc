import Testing
@testable import CarnetCatalogue

/// Product shortcuts used in the table (CIS codes of the built-in catalogue, NUVA where no CIS).
let productCodes: [String: String] = [
    "HEXYON": "60645557", "INFANRIX-HEXA": "62966063", "PENTAVAC": "69811279", "TETRAVAC": "66543281",
    "REPEVAX": "67619892", "REVAXIS": "60917345", "PREVENAR13": "67786749", "PREVENAR20": "62189757",
    "PNEUMOVAX": "60614280", "BEXSERO": "64493883", "NIMENRIX": "69241562", "NEISVAC": "69261547",
    "PRIORIX": "61896473", "MMRVAXPRO": "64269668", "GARDASIL9": "61429103", "VAXIGRIPTETRA": "61402736",
    "COMIRNATY": "60495328", "SHINGRIX": "62887096", "ZOSTAVAX": "60956323", "AREXVY": "64431629",
    "BEYFORTUS": "VAC1046", "ENGERIX20": "62279329", "ENGERIX10": "65782652",
]

/// One row of the calendar table: a patient, a day, a history → what one group must say.
struct CalendarCase: Sendable, CustomTestStringConvertible {
    var name: String
    var birth: String
    var at: String
    /// "yyyy-mm-dd PRODUCT" (see productCodes), "yyyy-mm-dd VAL:VAL097,VAL067" or "yyyy-mm-dd DIS:DIS008".
    var history: [String]
    var group: String
    /// nil: the group must be absent from the forecast.
    var status: ForecastStatus?
    var dose: Int? = nil
    var due: String? = nil
    var earliest: String? = nil
    var overdue: String? = nil
    var latest: String? = nil
    var counted: Int? = nil

    var testDescription: String { name }
}

func C(_ name: String, _ birth: String, _ at: String, _ history: [String], _ group: String, _ status: ForecastStatus?,
       dose: Int? = nil, due: String? = nil, earliest: String? = nil, overdue: String? = nil,
       latest: String? = nil, counted: Int? = nil) -> CalendarCase {
    CalendarCase(name: name, birth: birth, at: at, history: history, group: group, status: status, dose: dose,
                 due: due, earliest: earliest, overdue: overdue, latest: latest, counted: counted)
}

/// Childhood DTP-containing doses at 2, 4, 11 months, 6 and 11 years for someone born `birth`.
func childhood(_ birth: String) -> [String] {
    guard let b = CivilDate(birth) else { return [] }
    return [
        "\(b.adding(months: 2).iso) HEXYON", "\(b.adding(months: 4).iso) HEXYON", "\(b.adding(months: 11).iso) HEXYON",
        "\(b.adding(years: 6).iso) TETRAVAC", "\(b.adding(years: 11).iso) REPEVAX",
    ]
}

let infant = "2025-01-15"
let hexa3 = ["2025-03-15 HEXYON", "2025-05-15 HEXYON", "2025-12-15 HEXYON"]

let calendarCases: [CalendarCase] = [
    // DTP primary series: boundaries of the 2-month dose.
    C("dtp: day before 2 months, not due", infant, "2025-03-14", [], "dtp", .notDue, dose: 1, due: "2025-03-15", earliest: "2025-02-26", overdue: "2025-04-15"),
    C("dtp: day of 2 months, due", infant, "2025-03-15", [], "dtp", .due, dose: 1, due: "2025-03-15"),
    C("dtp: day before 3 months, still due", infant, "2025-04-14", [], "dtp", .due, dose: 1),
    C("dtp: day of 3 months, overdue", infant, "2025-04-15", [], "dtp", .overdue, dose: 1, overdue: "2025-04-15"),
    C("dtp: dose 2 day before 4 months", infant, "2025-05-14", ["2025-03-15 HEXYON"], "dtp", .notDue, dose: 2, due: "2025-05-15", earliest: "2025-04-15"),
    C("dtp: dose 2 day of 4 months", infant, "2025-05-15", ["2025-03-15 HEXYON"], "dtp", .due, dose: 2, due: "2025-05-15", overdue: "2025-06-15"),
    C("dtp: dose 3 day before 11 months", infant, "2025-12-14", ["2025-03-15 HEXYON", "2025-05-15 HEXYON"], "dtp", .notDue, dose: 3, due: "2025-12-15"),
    C("dtp: dose 3 day of 11 months", infant, "2025-12-15", ["2025-03-15 HEXYON", "2025-05-15 HEXYON"], "dtp", .due, dose: 3, due: "2025-12-15", earliest: "2025-12-15", overdue: "2026-01-15"),
    C("dtp: after the 11-month booster, next at 6 years", infant, "2026-06-01", hexa3, "dtp", .notDue, dose: 4, due: "2031-01-15", earliest: "2031-01-15", counted: 3),
    C("dtp: second dose 3 weeks after the first does not count", infant, "2025-04-20", ["2025-03-15 HEXYON", "2025-04-05 HEXYON"], "dtp", .notDue, dose: 2, due: "2025-05-15", earliest: "2025-04-15", counted: 1),
    C("dtp: a dose before 6 weeks of age does not count", infant, "2025-03-20", ["2025-02-01 HEXYON"], "dtp", .due, dose: 1, counted: 0),
    C("dtp: catch-up infant first dosed at 7 months gets dose 2 one month later", infant, "2025-08-20", ["2025-08-15 INFANRIX-HEXA"], "dtp", .notDue, dose: 2, due: "2025-10-15", earliest: "2025-09-15"),

    // Boosters of childhood and adulthood.
    C("pertussis: day before 11 years", "2014-05-10", "2025-05-09", childhood("2014-05-10").dropLast(), "pertussis", .notDue, dose: 5, due: "2025-05-10"),
    C("pertussis: day of 11 years", "2014-05-10", "2025-05-10", childhood("2014-05-10").dropLast(), "pertussis", .due, dose: 5, due: "2025-05-10", overdue: "2028-05-10"),
    C("pertussis: 14 years without the 11-13 booster is overdue", "2014-05-10", "2028-05-10", childhood("2014-05-10").dropLast(), "pertussis", .overdue, dose: 5),
    C("dtp: 6-year booster missed, skipped at 11 for the adolescent one", "2014-05-10", "2025-05-10", Array(childhood("2014-05-10").prefix(3)), "dtp", .due, dose: 4, due: "2025-05-10", counted: 3),
    C("dtp: day before 25 years", "1990-03-01", "2015-02-28", childhood("1990-03-01"), "dtp", .notDue, dose: 6, due: "2015-03-01", earliest: "2014-03-01"),
    C("dtp: day of 25 years", "1990-03-01", "2015-03-01", childhood("1990-03-01"), "dtp", .due, dose: 6, due: "2015-03-01", overdue: "2016-03-01", latest: "2035-02-28"),
    C("pertussis: dTcaP due at 25 years", "1990-03-01", "2015-03-01", childhood("1990-03-01"), "pertussis", .due, dose: 6, due: "2015-03-01"),
    C("dtp: dTP at 25 counts, next at 45", "1990-03-01", "2016-01-01", childhood("1990-03-01") + ["2015-06-01 REVAXIS"], "dtp", .notDue, dose: 7, due: "2035-03-01"),
    C("pertussis: dTP without pertussis at 25 does not count for pertussis", "1990-03-01", "2016-01-01", childhood("1990-03-01") + ["2015-06-01 REVAXIS"], "pertussis", .due, dose: 6, due: "2015-03-01"),
    C("pertussis: dTcaP at 25 completes pertussis", "1990-03-01", "2016-01-01", childhood("1990-03-01") + ["2015-06-01 REPEVAX"], "pertussis", .complete, dose: 6, counted: 6),
    C("dtp: 40 years without the 25-year booster is overdue", "1985-06-15", "2025-06-15", childhood("1985-06-15"), "dtp", .overdue, dose: 6, due: "2010-06-15", overdue: "2011-06-15", latest: "2030-06-14"),
    C("pertussis: day before 40 years, catch-up still overdue", "1985-06-15", "2025-06-14", childhood("1985-06-15"), "pertussis", .overdue, dose: 6),
    C("pertussis: day of 40 years, catch-up aged out", "1985-06-15", "2025-06-15", childhood("1985-06-15"), "pertussis", .notRecommended),
    C("dtp: late booster at 40, resume at 45 (5 years later)", "1985-06-15", "2026-01-01", childhood("1985-06-15") + ["2025-06-15 REVAXIS"], "dtp", .notDue, dose: 7, due: "2030-06-15", earliest: "2030-06-15"),
    C("dtp: day before 75 years", "1955-04-10", "2030-04-09", childhood("1955-04-10") + ["1980-04-10 REVAXIS", "2000-04-10 REVAXIS", "2020-04-10 REVAXIS"], "dtp", .notDue, dose: 9, due: "2030-04-10"),
    C("dtp: day of 75 years", "1955-04-10", "2030-04-10", childhood("1955-04-10") + ["1980-04-10 REVAXIS", "2000-04-10 REVAXIS", "2020-04-10 REVAXIS"], "dtp", .due, dose: 9, due: "2030-04-10"),
    C("dtp: every 10 years after 75", "1955-04-10", "2031-01-01", childhood("1955-04-10") + ["1980-04-10 REVAXIS", "2000-04-10 REVAXIS", "2020-04-10 REVAXIS", "2030-04-10 REVAXIS"], "dtp", .notDue, dose: 10, due: "2040-04-10"),
    C("dtp: doses recorded by NUVA valences count", infant, "2025-05-15", ["2025-03-15 VAL:VAL097,VAL067,VAL056"], "dtp", .due, dose: 2, counted: 1),
    // DTP catch-up of a person first vaccinated at 16 or later (calendar 2025, catch-up table:
    // M0, M2, M8-M12, then the fixed-age boosters; rule dtp, series 2 and 3).
    C("dtp catch-up: never vaccinated at 30, dose 1 overdue since 16 years + 1 month", "1995-06-10", "2025-06-10", [], "dtp", .overdue, dose: 1, due: "2011-06-10", overdue: "2011-07-10"),
    C("dtp catch-up: never vaccinated at 70, dose 1 overdue", "1955-06-10", "2025-06-10", [], "dtp", .overdue, dose: 1, counted: 0),
    C("dtp catch-up: dose 2 two months after dose 1 (M2)", "1995-06-10", "2025-07-01", ["2025-06-10 REVAXIS"], "dtp", .notDue, dose: 2, due: "2025-08-10", earliest: "2025-08-10", overdue: "2025-09-10"),
    C("dtp catch-up: dose 2 three weeks after dose 1 does not count", "1995-06-10", "2025-07-05", ["2025-06-10 REVAXIS", "2025-07-01 REVAXIS"], "dtp", .notDue, dose: 2, due: "2025-08-10", counted: 1),
    C("dtp catch-up: dose 3 six months after dose 2 (M8)", "1995-06-10", "2025-09-01", ["2025-06-10 REVAXIS", "2025-08-10 REVAXIS"], "dtp", .notDue, dose: 3, due: "2026-02-10", earliest: "2026-02-10", overdue: "2026-06-10"),
    C("dtp catch-up: dose 3 the day before M12, due", "1995-06-10", "2026-06-09", ["2025-06-10 REVAXIS", "2025-08-10 REVAXIS"], "dtp", .due, dose: 3),
    C("dtp catch-up: dose 3 at M12, overdue", "1995-06-10", "2026-06-10", ["2025-06-10 REVAXIS", "2025-08-10 REVAXIS"], "dtp", .overdue, dose: 3, overdue: "2026-06-10"),
    C("dtp catch-up: first dose at 30, next booster at 45 (no 25-year booster)", "1995-06-10", "2026-03-01", ["2025-06-10 REVAXIS", "2025-08-10 REVAXIS", "2026-02-10 REVAXIS"], "dtp", .notDue, dose: 4, due: "2040-06-10", earliest: "2039-06-10", counted: 3),
    C("dtp catch-up: first dose at 20, 25-year booster 5 years after dose 3", "2005-03-01", "2026-01-01", ["2025-03-01 REVAXIS", "2025-05-01 REVAXIS", "2025-11-01 REVAXIS"], "dtp", .notDue, dose: 4, due: "2030-11-01", earliest: "2030-11-01"),
    C("dtp catch-up: first dose at 42, 45-year booster 5 years after dose 3", "1983-01-01", "2026-01-01", ["2025-01-01 REVAXIS", "2025-03-01 REVAXIS", "2025-09-01 REVAXIS"], "dtp", .notDue, dose: 4, due: "2030-09-01"),
    C("dtp catch-up: first dose the day before 16 years keeps the childhood series", "2009-05-10", "2026-02-01", ["2025-05-09 REVAXIS", "2025-07-09 REVAXIS", "2026-01-09 REVAXIS"], "dtp", .notDue, dose: 4, due: "2028-01-09"),
    C("dtp catch-up: first dose on the 16th birthday takes the catch-up series", "2009-05-10", "2026-02-01", ["2025-05-10 REVAXIS", "2025-07-10 REVAXIS", "2026-01-10 REVAXIS"], "dtp", .notDue, dose: 4, due: "2034-05-10"),
    C("dtp catch-up: first dose the day before 25 years, the 25-year booster follows", "2000-04-01", "2026-01-01", ["2025-03-31 REVAXIS", "2025-05-31 REVAXIS", "2025-11-30 REVAXIS"], "dtp", .notDue, dose: 4, due: "2030-11-30"),
    C("dtp catch-up: first dose on the 25th birthday, next at 45", "2000-04-01", "2026-01-01", ["2025-04-01 REVAXIS", "2025-06-01 REVAXIS", "2025-12-01 REVAXIS"], "dtp", .notDue, dose: 4, due: "2045-04-01", earliest: "2044-04-01"),

    // Hib.
    C("hib: hexavalent series complete", infant, "2026-06-01", hexa3, "hib", .complete, dose: 3, counted: 3),
    C("hib: unvaccinated at 16 months, single catch-up dose overdue", infant, "2026-06-01", [], "hib", .overdue, dose: 1, due: "2026-01-15", overdue: "2026-02-15"),
    C("hib: day before 5 years, still recommended", infant, "2030-01-14", [], "hib", .overdue, dose: 1, latest: "2030-01-14"),
    C("hib: day of 5 years, no longer recommended (left out)", infant, "2030-01-15", [], "hib", nil),

    // Hepatitis B, counted by valence.
    C("hepB: hexavalent series complete", infant, "2026-06-01", hexa3, "hepatitis-b", .complete, dose: 3),
    C("hepB: pentavalent doses do not count for hepatitis B", infant, "2026-06-01", ["2025-03-15 PENTAVAC", "2025-05-15 PENTAVAC", "2025-12-15 PENTAVAC"], "hepatitis-b", .overdue, dose: 1, counted: 0),
    C("hib: pentavalent doses count for Hib", infant, "2026-06-01", ["2025-03-15 PENTAVAC", "2025-05-15 PENTAVAC", "2025-12-15 PENTAVAC"], "hib", .complete, dose: 3),
    C("hepB: 13-year-old catch-up uses the 2-dose schedule", "2012-09-01", "2025-09-01", [], "hepatitis-b", .due, dose: 1, due: "2023-09-01", overdue: "2028-09-01"),
    C("hepB: second adolescent dose 6 months later", "2012-09-01", "2025-12-01", ["2025-09-01 ENGERIX20"], "hepatitis-b", .notDue, dose: 2, due: "2026-03-01", earliest: "2026-03-01"),
    C("hepB: day before 16 years, catch-up still due", "2012-09-01", "2028-08-31", [], "hepatitis-b", .due, dose: 1, latest: "2028-08-31"),
    C("hepB: day of 16 years, catch-up over (left out)", "2012-09-01", "2028-09-01", [], "hepatitis-b", nil),
    C("hepB: 7-year-old catch-up, dose 2 one month after dose 1", "2018-03-10", "2025-03-20", ["2025-03-10 ENGERIX10"], "hepatitis-b", .notDue, dose: 2, due: "2025-04-10", earliest: "2025-04-10"),

    // Pneumococcus, children.
    C("pcv: dose 2 at 4 months", infant, "2025-05-15", ["2025-03-15 PREVENAR13"], "pneumococcal-child", .due, dose: 2),
    C("pcv: unvaccinated at 13.5 months uses the 2-dose catch-up", infant, "2026-03-01", [], "pneumococcal-child", .overdue, dose: 1, due: "2026-01-15"),
    C("pcv: catch-up dose 2 two months after dose 1", infant, "2026-04-15", ["2026-03-01 PREVENAR20"], "pneumococcal-child", .notDue, dose: 2, due: "2026-05-01", earliest: "2026-05-01"),
    C("pcv: started but unfinished at 2 years is aged out", infant, "2027-01-15", ["2026-03-01 PREVENAR20"], "pneumococcal-child", .notRecommended),

    // Meningococcus B (born from 2025).
    C("menB: day before 3 months", infant, "2025-04-14", [], "meningococcal-b", .notDue, dose: 1, due: "2025-04-15"),
    C("menB: day of 3 months", infant, "2025-04-15", [], "meningococcal-b", .due, dose: 1, due: "2025-04-15"),
    C("menB: born 31 Dec 2024, not in the mandatory cohort", "2024-12-31", "2025-04-15", [], "meningococcal-b", nil),
    C("menB: born 1 Jan 2025, in the cohort", "2025-01-01", "2025-04-15", [], "meningococcal-b", .due, dose: 1, due: "2025-04-01", overdue: "2025-05-01"),
    C("menB: booster at 12 months", infant, "2026-01-15", ["2025-04-15 BEXSERO", "2025-06-15 BEXSERO"], "meningococcal-b", .due, dose: 3, due: "2026-01-15"),

    // Meningococcus ACWY.
    C("menACWY infant: day before 6 months", infant, "2025-07-14", [], "meningococcal-acwy-infant", .notDue, dose: 1, due: "2025-07-15"),
    C("menACWY infant: day of 6 months", infant, "2025-07-15", [], "meningococcal-acwy-infant", .due, dose: 1),
    C("menACWY infant: second dose at 12 months", infant, "2026-01-15", ["2025-07-15 NIMENRIX"], "meningococcal-acwy-infant", .due, dose: 2, due: "2026-01-15"),
    C("menACWY infant: MenC-only vaccine does not count", infant, "2026-01-15", ["2025-07-15 NEISVAC"], "meningococcal-acwy-infant", .overdue, dose: 1, counted: 0),
    C("menACWY adolescent: day before 11 years", "2012-02-20", "2023-02-19", ["2012-08-20 NIMENRIX"], "meningococcal-acwy-adolescent", .notDue, dose: 1, due: "2023-02-20", counted: 0),
    C("menACWY adolescent: day of 11 years, infant dose does not count", "2012-02-20", "2023-02-20", ["2012-08-20 NIMENRIX"], "meningococcal-acwy-adolescent", .due, dose: 1, counted: 0),
    C("menACWY adolescent: one dose at 12 completes", "2012-02-20", "2025-01-01", ["2024-02-20 NIMENRIX"], "meningococcal-acwy-adolescent", .complete, dose: 1),
    C("menACWY adolescent: catch-up at 24 is overdue", "2000-01-01", "2024-12-31", [], "meningococcal-acwy-adolescent", .overdue, dose: 1, overdue: "2015-01-01"),
    C("menACWY adolescent: at 25 no longer recommended (left out)", "2000-01-01", "2025-01-01", [], "meningococcal-acwy-adolescent", nil),

    // MMR.
    C("mmr: day before 12 months", infant, "2026-01-14", [], "mmr", .notDue, dose: 1, due: "2026-01-15"),
    C("mmr: day of 12 months", infant, "2026-01-15", [], "mmr", .due, dose: 1, due: "2026-01-15", overdue: "2026-02-15"),
    C("mmr: second dose at 16 months", infant, "2026-05-15", ["2026-01-15 PRIORIX"], "mmr", .due, dose: 2, due: "2026-05-15", overdue: "2026-08-15"),
    C("mmr: second dose overdue at 19 months", infant, "2026-08-15", ["2026-01-15 PRIORIX"], "mmr", .overdue, dose: 2),
    C("mmr: dose at 11 months does not count", infant, "2026-02-01", ["2025-12-15 PRIORIX"], "mmr", .due, dose: 1, counted: 0),
    C("mmr: two doses complete", infant, "2027-01-01", ["2026-01-15 PRIORIX", "2026-05-15 MMRVAXPRO"], "mmr", .complete, dose: 2),
    C("mmr: born 1979, not concerned", "1979-12-31", "2025-06-01", [], "mmr", nil),
    C("mmr: born 1980 with no dose, overdue", "1980-01-01", "2025-06-01", [], "mmr", .overdue, dose: 1),
    C("mmr: doses recorded by disease count", "1980-01-01", "2025-06-01", ["2000-01-01 DIS:DIS008,DIS009,DIS010"], "mmr", .overdue, dose: 2, counted: 1),

    // HPV.
    C("hpv: day before 11 years", "2013-06-01", "2024-05-31", [], "hpv", .notDue, dose: 1, due: "2024-06-01"),
    C("hpv: day of 11 years, 2-dose schedule", "2013-06-01", "2024-06-01", [], "hpv", .due, dose: 1, due: "2024-06-01", overdue: "2028-06-01"),
    C("hpv: dose 2 day before 6 months", "2013-06-01", "2024-11-30", ["2024-06-01 GARDASIL9"], "hpv", .notDue, dose: 2, due: "2024-12-01", earliest: "2024-11-01"),
    C("hpv: dose 2 day of 6 months", "2013-06-01", "2024-12-01", ["2024-06-01 GARDASIL9"], "hpv", .due, dose: 2, due: "2024-12-01", overdue: "2025-07-01"),
    C("hpv: two doses complete", "2013-06-01", "2025-01-01", ["2024-06-01 GARDASIL9", "2024-12-01 GARDASIL9"], "hpv", .complete, dose: 2),
    C("hpv: started at 16, 3-dose catch-up", "2008-03-15", "2024-04-20", ["2024-03-15 GARDASIL9"], "hpv", .notDue, dose: 2, due: "2024-05-15", earliest: "2024-04-15"),
    C("hpv: day before 20 years, catch-up due", "2005-01-01", "2024-12-31", [], "hpv", .due, dose: 1, latest: "2024-12-31"),
    C("hpv: day of 20 years, left out", "2005-01-01", "2025-01-01", [], "hpv", nil),

    // Influenza from 65, yearly.
    C("flu: day before the campaign", "1958-03-01", "2025-10-13", [], "influenza", .notDue, dose: 1, due: "2025-10-14", latest: "2026-01-31"),
    C("flu: first day of the campaign", "1958-03-01", "2025-10-14", [], "influenza", .due, dose: 1, due: "2025-10-14"),
    C("flu: last day of the campaign", "1958-03-01", "2026-01-31", [], "influenza", .due, dose: 1, latest: "2026-01-31"),
    C("flu: vaccinated this season", "1958-03-01", "2025-11-01", ["2025-10-20 VAXIGRIPTETRA"], "influenza", .complete, due: "2026-10-14"),
    C("flu: last season's dose, off season", "1958-03-01", "2025-06-01", ["2024-10-20 VAXIGRIPTETRA"], "influenza", .complete, due: "2025-10-14"),
    C("flu: last season's dose does not cover the new season", "1958-03-01", "2025-10-14", ["2024-10-20 VAXIGRIPTETRA"], "influenza", .due, dose: 1),
    C("flu: turning 65 during the campaign", "1960-12-01", "2025-11-30", [], "influenza", .notDue, due: "2025-12-01"),
    C("flu: day of the 65th birthday in the campaign", "1960-12-01", "2025-12-01", [], "influenza", .due, due: "2025-12-01"),
    C("flu: turning 65 after the campaign waits for the next one", "1961-03-01", "2025-11-15", [], "influenza", .notDue, due: "2026-10-14"),
    C("flu: off season without a dose", "1958-03-01", "2026-02-01", [], "influenza", .notDue, due: "2026-10-14"),
    C("covid: vaccinated this autumn", "1950-01-01", "2025-12-01", ["2025-10-20 COMIRNATY"], "covid19", .complete),
    C("covid: due during the campaign", "1950-01-01", "2025-12-01", [], "covid19", .due, dose: 1),

    // Pneumococcus from 65.
    C("pneumo 65: day before 65", "1960-05-05", "2025-05-04", [], "pneumococcal-adult", .notDue, dose: 1, due: "2025-05-05"),
    C("pneumo 65: day of 65", "1960-05-05", "2025-05-05", [], "pneumococcal-adult", .due, dose: 1, due: "2025-05-05", overdue: "2026-05-05"),
    C("pneumo 65: PCV13 does not count", "1960-05-05", "2025-07-01", ["2025-06-01 PREVENAR13"], "pneumococcal-adult", .due, dose: 1, counted: 0),
    C("pneumo 65: PPSV23 does not count", "1960-05-05", "2025-07-01", ["2025-06-01 PNEUMOVAX"], "pneumococcal-adult", .due, dose: 1, counted: 0),
    C("pneumo 65: PCV20 completes", "1960-05-05", "2025-07-01", ["2025-06-01 PREVENAR20"], "pneumococcal-adult", .complete, dose: 1),

    // Zoster from 65.
    C("zoster: dose 2 two months after dose 1", "1958-01-10", "2025-02-10", ["2025-01-10 SHINGRIX"], "zoster", .notDue, dose: 2, due: "2025-03-10", overdue: "2025-07-10"),
    C("zoster: live vaccine does not count", "1958-01-10", "2025-01-10", ["2020-01-10 ZOSTAVAX"], "zoster", .overdue, dose: 1, due: "2023-01-10", overdue: "2024-01-10", counted: 0),
    C("zoster: two recombinant doses complete", "1958-01-10", "2025-06-01", ["2025-01-10 SHINGRIX", "2025-03-10 SHINGRIX"], "zoster", .complete, dose: 2),

    // RSV from 75.
    C("rsv: day before 75", "1950-06-01", "2025-05-31", [], "rsv", .notDue, dose: 1, due: "2025-06-01"),
    C("rsv: day of 75", "1950-06-01", "2025-06-01", [], "rsv", .due, dose: 1, due: "2025-06-01"),
    C("rsv: one vaccine dose completes", "1950-06-01", "2025-09-01", ["2025-07-01 AREXVY"], "rsv", .complete, dose: 1),
    C("rsv: nirsevimab antibody is not a vaccine dose", "1950-06-01", "2025-09-01", ["2025-07-01 BEYFORTUS"], "rsv", .due, dose: 1, counted: 0),
]

@Suite("French 2025 calendar table")
struct CalendarTableTests {
    static let engine = RecommendationEngine(catalogue: .builtIn)

    @Test func tableIsLargeEnough() {
        #expect(calendarCases.count >= 60)
        // The general calendar's groups; the special populations' are in SpecialPopulationTableTests.
        let groups = Set(calendarCases.map(\.group))
        #expect(groups.isSubset(of: Set(RuleFiles.rules.map(\.id))) && groups.count >= 15)
    }

    @Test(arguments: calendarCases)
    func calendar(_ c: CalendarCase) throws {
        let birth = try #require(CivilDate(c.birth))
        let at = try #require(CivilDate(c.at))
        var history: [AdministeredDose] = []
        for (i, entry) in c.history.enumerated() {
            let parts = entry.split(separator: " ")
            let date = try #require(parts.count == 2 ? CivilDate(parts[0]) : nil, "bad history entry \(entry)")
            let code = String(parts[1])
            let reference = "Immunization/\(i + 1)"
            if code.hasPrefix("VAL:") {
                history.append(AdministeredDose(date: date, valenceCodes: code.dropFirst(4).split(separator: ",").map(String.init), reference: reference))
            } else if code.hasPrefix("DIS:") {
                history.append(AdministeredDose(date: date, diseaseCodes: code.dropFirst(4).split(separator: ",").map(String.init), reference: reference))
            } else {
                let product = try #require(productCodes[code], "unknown product \(code)")
                history.append(AdministeredDose(date: date, productCode: product, reference: reference))
            }
        }
        let forecasts = Self.engine.forecast(birthDate: birth, assessmentDate: at, history: history)
        let forecast = forecasts.first { $0.group == c.group }
        guard let expected = c.status else {
            #expect(forecast == nil, "expected \(c.group) to be left out, got \(String(describing: forecast?.status))")
            return
        }
        let f = try #require(forecast, "no forecast for \(c.group)")
        #expect(f.status == expected)
        if let dose = c.dose { #expect(f.doseNumber == dose) }
        if let due = c.due { #expect(f.dueDate?.iso == due) }
        if let earliest = c.earliest { #expect(f.earliestDate?.iso == earliest) }
        if let overdue = c.overdue { #expect(f.overdueDate?.iso == overdue) }
        if let latest = c.latest { #expect(f.latestDate?.iso == latest) }
        if let counted = c.counted { #expect(f.supportingDoses.count == counted) }
    }
}
