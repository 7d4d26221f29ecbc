import Testing
@testable import CarnetCatalogue

@Suite("Built-in catalogue and search")
struct CatalogueSearchTests {
    let catalogue = VaccineCatalogue.builtIn

    @Test func builtInParsesWithoutError() throws {
        let products = try BuiltInCatalogue.parse(BuiltInCatalogue.text)
        #expect(products.count == catalogue.count)
        #expect(products.count >= 55)
    }

    @Test func builtInRejectsBrokenLines() {
        #expect(throws: BuiltInCatalogueError.self) { try BuiltInCatalogue.parse("product X | valences VAL999 | marketed yes") }
        #expect(throws: BuiltInCatalogueError.self) { try BuiltInCatalogue.parse("disease DIS001 | Diphtérie\nvalence VAL097 | D | DIS001 | x\nproduct X | cis 123 | valences VAL097 | marketed yes") }
        #expect(throws: BuiltInCatalogueError.self) { try BuiltInCatalogue.parse("vaccine X") }
    }

    @Test func grippeFindsInfluenzaVaccines() {
        let results = catalogue.search("grippe", limit: 50)
        let names = results.map(\.name)
        #expect(names.contains("AGRIPPAL"))
        #expect(names.contains("VAXIGRIPTETRA"))
        #expect(names.contains("INFLUVAC TETRA"))
        #expect(names.contains("EFLUELDA"))
        #expect(results.allSatisfy { $0.diseaseCodes.contains(Disease.influenza.code) })
        // Marketed first within the same rank.
        if let firstUnmarketed = results.firstIndex(where: { !$0.marketedInFrance }) {
            #expect(results[firstUnmarketed...].allSatisfy { !$0.marketedInFrance })
        }
    }

    @Test(arguments: ["meningocoque b", "méningocoque B", "MÉNINGOCOQUE B", "Meningocoque-B"])
    func meningocoqueBFindsBexsero(query: String) {
        let names = catalogue.search(query, limit: 10).map(\.name)
        #expect(names.first == "BEXSERO" || names.first == "TRUMENBA")
        #expect(names.contains("BEXSERO"))
        #expect(!names.contains("NIMENRIX"))
    }

    @Test(arguments: ["ror", "ROR", "rougeole", "Rougeole", "oreillons"])
    func rorAndRougeoleFindMMR(query: String) {
        let names = catalogue.search(query, limit: 10).map(\.name)
        #expect(names.contains("PRIORIX"))
        #expect(names.contains("M-M-RVAXPRO"))
    }

    @Test func cisFindsAgrippal() {
        #expect(catalogue.search("61921204", limit: 5).first?.name == "AGRIPPAL")
        #expect(catalogue.product(code: "61921204")?.name == "AGRIPPAL")
    }

    @Test func codesOfEverySystemResolve() {
        #expect(catalogue.product(code: "3400927349997")?.name == "HEXYON")   // CIP13
        #expect(catalogue.product(code: "VAC0510")?.name == "HEXYON")         // NUVA
        #expect(catalogue.product(code: "vac0510")?.name == "HEXYON")
        #expect(catalogue.product(code: "0510")?.name == "HEXYON")
        #expect(catalogue.product(code: "J07CA09")?.diseaseCodes.count == 6)   // ATC class
        #expect(catalogue.product(code: " 62189757 ")?.name == "PREVENAR 20")
        #expect(catalogue.product(code: "00000000") == nil)
        #expect(catalogue.product(code: "") == nil)
    }

    @Test func rankingExactPrefixWordSubstring() {
        // "prevenar 20" exact beats "prevenar 13" (no match) and prefix "prevenar".
        #expect(catalogue.search("prevenar 20", limit: 5).map(\.name) == ["PREVENAR 20"])
        let prevenar = catalogue.search("prevenar", limit: 5).map(\.name)
        #expect(prevenar == ["PREVENAR 13", "PREVENAR 20"])
        // Word match ("tetra" starts a word in "INFLUVAC TETRA") ranks before substring ("VAXIGRIPTETRA").
        let tetra = catalogue.search("tetra", limit: 20).map(\.name)
        guard let word = tetra.firstIndex(of: "INFLUVAC TETRA"), let sub = tetra.firstIndex(of: "VAXIGRIPTETRA") else {
            Issue.record("missing results: \(tetra)")
            return
        }
        #expect(word < sub)
        // Exact name first.
        #expect(catalogue.search("Hexyon", limit: 3).first?.name == "HEXYON")
    }

    @Test func abbreviationsAndAccents() {
        #expect(catalogue.search("hexavalent", limit: 5).map(\.name).sorted() == ["HEXYON", "INFANRIX HEXA", "VAXELIS"])
        #expect(catalogue.search("dTcaP", limit: 20).map(\.name).contains("REPEVAX"))
        #expect(catalogue.search("zona", limit: 5).map(\.name).first == "SHINGRIX")
        #expect(catalogue.search("hépatite b", limit: 30).map(\.name).contains("ENGERIX B 20 µg"))
        #expect(catalogue.search("HEPATITE B", limit: 30).map(\.name).contains("TWINRIX 20 µg"))
        #expect(catalogue.search("vrs", limit: 10).map(\.name).contains("AREXVY"))
        #expect(catalogue.search("papillomavirus", limit: 10).map(\.name) == ["CERVARIX", "GARDASIL 9"])
    }

    @Test func wordsInAnyOrder() {
        let names = catalogue.search("b méningocoque", limit: 10).map(\.name)
        #expect(names.contains("BEXSERO"))
        #expect(!names.contains("NIMENRIX"))
        #expect(catalogue.search("tetra grippe", limit: 10).map(\.name).contains("INFLUVAC TETRA"))
        // A phrase match still ranks before an any-order match.
        #expect(catalogue.search("grippe saisonniere", limit: 1).first?.diseaseCodes.contains(Disease.influenza.code) == true)
        #expect(catalogue.search("hexyon zzz", limit: 10).isEmpty)
    }

    @Test func limitsAndEmptyQueries() {
        #expect(catalogue.search("", limit: 10).isEmpty)
        #expect(catalogue.search("  -- ", limit: 10).isEmpty)
        #expect(catalogue.search("grippe", limit: 0).isEmpty)
        #expect(catalogue.search("grippe", limit: -3).isEmpty)
        #expect(catalogue.search("grippe", limit: 2).count == 2)
        #expect(catalogue.search(String(repeating: "é", count: 100_000), limit: 5).isEmpty)
        #expect(catalogue.search("zzzzzz", limit: 5).isEmpty)
    }

    @Test func foldingTable() {
        #expect(FrenchFolding.foldedString("Méningocoque B") == "meningocoque b")
        #expect(FrenchFolding.foldedString("ÉÈÊËÀÂÄÎÏÔÖÙÛÜÇŒÆ") == "eeeeaaaiioouuucoeae")
        #expect(FrenchFolding.foldedString("éèêëàâäîïôöùûüçœæ") == "eeeeaaaiioouuucoeae")
        #expect(FrenchFolding.foldedString("  M-M-RvaxPro ") == "m m rvaxpro")
        #expect(FrenchFolding.foldedString("l'hépatite") == "l hepatite")
        #expect(FrenchFolding.foldedString("Hæmophilus") == "haemophilus")
    }
}
