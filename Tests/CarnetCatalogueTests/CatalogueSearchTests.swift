import Testing
@testable import CarnetCatalogue

/// Search over the built-in catalogue (the whole NUVA snapshot, no release directory needed).
@Suite("Search over the full catalogue")
struct CatalogueSearchTests {
    let catalogue = VaccineCatalogue.builtIn

    /// What a French doctor types, and the product they expect first.
    static let firstResults: [(String, String)] = [
        ("AGRIPPAL SER 0,5ML", "AGRIPPAL"), ("agrippal", "AGRIPPAL"), ("gardasil 9", "GARDASIL 9"),
        ("gardasil", "GARDASIL"), ("prevenar", "PREVENAR 13"), ("prevenar 20", "PREVENAR 20"),
        ("PREVENAR 13 SUSP INJ SER", "PREVENAR 13"), ("ACT-HIB", "ACT-HIB"), ("acthib", "ACT-HIB"),
        ("PENTAXIM", "PENTAXIM"), ("BOOSTRIX", "BOOSTRIX"), ("boostrix tetra", "BOOSTRIXTETRA"),
        ("STAMARIL", "STAMARIL"), ("TYPHIM VI", "TYPHIM VI"), ("typhim", "TYPHIM VI"), ("VERORAB", "VERORAB"),
        ("IXIARO", "IXIARO"), ("hexyon", "HEXYON"), ("infanrix hexa", "INFANRIX HEXA"), ("m-m-rvaxpro", "M-M-RVAXPRO"),
        ("fièvre jaune", "STAMARIL"), ("FIEVRE JAUNE", "STAMARIL"), ("encéphalite japonaise", "IXIARO"),
        ("mpox", "IMVANEX"), ("monkeypox", "IMVANEX"), ("méningocoque B", "BEXSERO"),
        // One typo in a word of five letters or more.
        ("gardasl", "GARDASIL"), ("pentaxin", "PENTAXIM"), ("bostrix", "BOOSTRIX"), ("stamarill", "STAMARIL"),
        ("ixiaro", "IXIARO"), ("verorba", "VERORAB"),
        // Codes.
        ("61921204", "AGRIPPAL"), ("VAC0510", "HEXYON"), ("0510", "HEXYON"), ("3400927349997", "HEXYON"),
    ]

    @Test(arguments: firstResults)
    func firstResult(query: String, expected: String) {
        #expect(catalogue.search(query, limit: 10).first?.name == expected, "query \(query)")
    }

    /// Diseases in French, travel vaccines included: every result protects against the disease,
    /// and the first is a product marketed in France.
    @Test(arguments: [
        ("fièvre jaune", "DIS017"), ("typhoïde", "DIS018"), ("rage", "DIS030"), ("encéphalite à tiques", "DIS027"),
        ("encéphalite japonaise", "DIS028"), ("choléra", "DIS036"), ("dengue", "DIS031"), ("mpox", "DIS029"),
        ("grippe", "DIS015"), ("coqueluche", "DIS003"), ("rougeole", "DIS008"), ("hépatite b", "DIS006"), ("zona", "DIS033"),
    ])
    func diseaseQuery(query: String, disease: String) throws {
        let results = catalogue.search(query, limit: 10)
        let first = try #require(results.first, "no result for \(query)")
        #expect(first.marketedInFrance, "\(query): \(first.name)")
        #expect(first.diseaseCodes.contains(disease), "\(query): \(first.name)")
        #expect(results.prefix(3).allSatisfy { $0.diseaseCodes.contains(disease) }, "\(query)")
    }

    /// A whole word matched ranks before a word matched in part, marketed or not: "zona" gives
    /// the shingles vaccines, the abstract "Vaccin Zona" ones included, before INFLUPOZZI ZONALE.
    @Test func wholeWordsBeforePartsOfWords() throws {
        let results = catalogue.search("zona", limit: 10)
        let partial = try #require(results.firstIndex { $0.name == "INFLUPOZZI ZONALE" })
        #expect(results[..<partial].count >= 4)
        #expect(results[..<partial].allSatisfy { $0.diseaseCodes.contains("DIS033") })
    }

    @Test func typoOnlyInLongWords() {
        // "rage" has four letters: "rafe" is not read as "rage".
        #expect(!catalogue.search("rafe", limit: 10).contains { $0.diseaseCodes.contains("DIS030") })
        #expect(catalogue.search("coqueluhe", limit: 5).first?.diseaseCodes.contains(Disease.pertussis.code) == true)
    }

    @Test(arguments: ["méningocoque B", "meningocoque b", "MÉNINGOCOQUE-B", "Meningocoque.B"])
    func accentsCaseAndPunctuationFoldAlike(query: String) {
        #expect(catalogue.search(query, limit: 5).map(\.name) == catalogue.search("meningocoque b", limit: 5).map(\.name))
    }

    @Test func marketedProductsFirstWithinAMatch() {
        let results = catalogue.search("grippe", limit: 200)
        #expect(results.count > 50)
        let firstUnmarketed = results.firstIndex { !$0.marketedInFrance } ?? results.endIndex
        #expect(firstUnmarketed > 5)
        #expect(results[firstUnmarketed...].allSatisfy { !$0.marketedInFrance })
    }

    @Test func abbreviations() {
        #expect(catalogue.search("ror", limit: 10).contains { $0.name == "M-M-RVAXPRO" })
        #expect(catalogue.search("hexavalent", limit: 10).prefix(3).allSatisfy { $0.diseaseCodes.contains(Disease.hepatitisB.code) })
        #expect(catalogue.search("vrs", limit: 10).contains { $0.name == "ABRYSVO" })
        #expect(catalogue.search("bcg", limit: 5).first?.diseaseCodes.contains(Disease.tuberculosis.code) == true)
    }

    @Test func emptyOrHugeQueriesAreSafe() {
        #expect(catalogue.search("", limit: 10).isEmpty)
        #expect(catalogue.search("  -- ", limit: 10).isEmpty)
        #expect(catalogue.search("grippe", limit: 0).isEmpty)
        #expect(catalogue.search("zzzzqqq", limit: 10).isEmpty)
        _ = catalogue.search(String(repeating: "a b ", count: 10_000), limit: 10)
        _ = catalogue.search(String(repeating: "é", count: 5_000), limit: 10)
    }

    /// Every product of the release is found by each of its CIS, each of its CIP13 and its name.
    @Test func everyProductFoundByItsCodesAndName() {
        var missing: [String] = []
        for product in catalogue.products {
            for cis in product.cisCodes where !catalogue.search(cis, limit: 5).contains(product) {
                missing.append("\(product.name) CIS \(cis)")
            }
            for cip in product.cip13 where !catalogue.search(cip, limit: 5).contains(product) {
                missing.append("\(product.name) CIP13 \(cip)")
            }
            if let nuva = product.nuva, catalogue.product(code: nuva) != product { missing.append("\(product.name) \(nuva)") }
            // Names are shared by a few products (e.g. two presentations): within the first ten.
            if !catalogue.search(product.name, limit: 10).contains(product) { missing.append("\(product.name) by name") }
        }
        #expect(missing.isEmpty, "\(missing.prefix(20))")
        #expect(catalogue.products.reduce(0) { $0 + $1.cip13.count } > 1_000)
    }

    @Test func atcFindsItsClass() {
        let flu = catalogue.search("J07BB02", limit: 50)
        #expect(flu.count > 5)
        #expect(flu.allSatisfy { $0.atc == "J07BB02" })
    }

    @Test func editDistance() {
        func near(_ a: String, _ b: String) -> Bool {
            Array(a.utf8).withUnsafeBufferPointer { x in Array(b.utf8).withUnsafeBufferPointer { y in SearchIndex.withinOneEdit(x, y) } }
        }
        #expect(near("gardasil", "gardasil"))
        #expect(near("gardasl", "gardasil"))
        #expect(near("gardasiil", "gardasil"))
        #expect(near("gadrasil", "gardasil"))
        #expect(near("gardasol", "gardasil"))
        #expect(!near("gdrasail", "gardasil"))
        #expect(!near("gardas", "gardasil"))
    }
}
