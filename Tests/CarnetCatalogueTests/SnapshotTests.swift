import Testing
@testable import CarnetCatalogue

@Suite("Built-in NUVA snapshot, storage and swap")
struct SnapshotTests {
    @Test func snapshotIsTheWholeRelease() throws {
        let catalogue = try VaccineCatalogue.snapshotCatalogue()
        #expect(catalogue.count == 1441)
        #expect(VaccineCatalogue.builtIn.count == 1441)
        let info = VaccineCatalogue.builtIn.info
        #expect(info.version == "1.0.1124")
        #expect(info.releaseDate == "2026-08-17")
        #expect(info.productCount == 1441)
        #expect(info.origin == .builtIn)
        #expect(info.attribution.contains("International Vaccine Codes Initiative"))
        #expect(info.attribution.contains("CC-BY 4.0"))
        #expect(info.license == "CC-BY-4.0")
        let hexyon = try #require(catalogue.product(code: "HEXYON") ?? catalogue.product(code: "VAC0510"))
        #expect(hexyon.atc == "J07CA09")
        #expect(hexyon.cvx == ["146"])
    }

    /// The Python generator and the Swift importer derive the same catalogue from the release.
    @Test(.enabled(if: FileSystem.isDirectory(nuvaDirectory())))
    func snapshotEqualsAFreshImport() throws {
        let imported = try VaccineCatalogue.importNUVA(directory: nuvaDirectory(), mode: .replace)
        let builtIn = VaccineCatalogue.builtIn
        #expect(imported.count == builtIn.count)
        for (a, b) in zip(imported.products, builtIn.products) where a != b {
            Issue.record("\(a.nuva ?? a.name) differs: \(a) vs \(b)")
            break
        }
        #expect(imported.info.version == builtIn.info.version)
        #expect(imported.info.attribution == builtIn.info.attribution)
        #expect(imported.info.origin == .imported)
    }

    @Test func serializedRoundTrip() throws {
        let builtIn = VaccineCatalogue.builtIn
        let bytes = builtIn.serialized()
        let loaded = try VaccineCatalogue(serialized: bytes)
        #expect(loaded.products == builtIn.products)
        #expect(loaded.info.version == builtIn.info.version)
        #expect(loaded.info.origin == .stored)
        #expect(loaded.serialized() == bytes)
        // Texts that cannot be stored as they are do not break the format.
        let odd = VaccineProduct(name: "A\tB\nC", cisCodes: ["1 2"], nuva: nil,
                                 valences: builtIn.products[0].valences, marketedInFrance: true, alternateNames: ["x|y"])
        let back = try VaccineCatalogue(serialized: VaccineCatalogue(products: [odd]).serialized())
        #expect(back.products.first?.name == "A B C")
        #expect(back.products.first?.alternateNames == ["x y"])
        #expect(back.products.first?.nuva == nil)
    }

    @Test func damagedBytesAreRefusedNamingTheSource() {
        let bytes = VaccineCatalogue.builtIn.serialized()
        let cuts = [0, 10, bytes.count / 2, bytes.count - 3]
        for cut in cuts {
            do {
                _ = try VaccineCatalogue(serialized: Array(bytes.prefix(cut)), source: "store:catalogue")
                Issue.record("truncated at \(cut) was accepted")
            } catch {
                #expect(error.file == "store:catalogue")
            }
        }
        #expect(throws: CatalogueError.self) { try VaccineCatalogue(serialized: [0xFF, 0xFE, 0x0A]) }
    }

    @Test func activeCatalogueSwapsAndKeepsItOnFailure() throws {
        let active = ActiveCatalogue()
        #expect(active.current === VaccineCatalogue.builtIn)
        #expect(throws: CatalogueError.self) { try active.importRelease(directory: "/nonexistent/nuva") }
        #expect(active.current === VaccineCatalogue.builtIn)
        #expect(throws: CatalogueError.self) { try active.restore(serialized: Array("garbage".utf8)) }
        #expect(active.current === VaccineCatalogue.builtIn)
        let small = VaccineCatalogue.handMade
        let restored = try active.restore(serialized: small.serialized())
        #expect(active.current === restored)
        #expect(active.current.count == small.count)
        active.reset()
        #expect(active.current === VaccineCatalogue.builtIn)
    }

    @Test func concurrentReadersSeeAWholeCatalogue() async {
        let active = ActiveCatalogue()
        let small = VaccineCatalogue.handMade
        await withTaskGroup(of: Bool.self) { group in
            group.addTask {
                for i in 0..<200 { active.replace(with: i % 2 == 0 ? small : .builtIn) }
                return true
            }
            for _ in 0..<4 {
                group.addTask {
                    var ok = true
                    for _ in 0..<200 {
                        let c = active.current
                        ok = ok && (c.count == small.count || c.count == 1441) && c.info.productCount == c.count
                    }
                    return ok
                }
            }
            for await ok in group { #expect(ok) }
        }
    }

    /// The hand-made list against the release: the only differences are the ones decided in
    /// docs/catalogue.md ("Hand-made list against NUVA 1.0.1124").
    @Test func handMadeListAgainstTheRelease() throws {
        let builtIn = VaccineCatalogue.builtIn
        var differences: Set<String> = []
        for hand in VaccineCatalogue.handMade.products {
            let nuva = try #require(hand.nuva)
            let snap = try #require(builtIn.product(code: nuva), "\(hand.name) \(nuva) missing")
            #expect(snap.name == hand.name)
            #expect(Set(snap.cisCodes) == Set(hand.cisCodes), "\(hand.name)")
            #expect(Set(snap.cip13) == Set(hand.cip13), "\(hand.name)")
            #expect(snap.valences.map(\.code) == hand.valences.map(\.code), "\(hand.name)")
            if snap.atc != hand.atc { differences.insert("atc \(hand.name)") }
            if snap.marketedInFrance != hand.marketedInFrance { differences.insert("marketed \(hand.name)") }
        }
        #expect(differences == ["atc VAXIGRIPTETRA", "atc AREXVY", "atc ABRYSVO", "atc MRESVIA",
                                "atc BEYFORTUS 50 MG (NIRSEVIMAB)", "atc BEYFORTUS 100 MG (NIRSEVIMAB)"])
    }

    @Test func curationFlags() throws {
        let c = VaccineCatalogue.builtIn
        #expect(c.product(code: "VAC1046")?.marketedInFrance == true)  // BEYFORTUS: no CIS in NUVA
        #expect(c.product(code: "VAC0064")?.marketedInFrance == false)  // PENTACOQ
        #expect(c.product(code: "VAC0025")?.marketedInFrance == false)  // PREVENAR (7)
        #expect(c.product(code: "VAC0002")?.marketedInFrance == true)   // AGRIPPAL: NUVA rule
    }
}
