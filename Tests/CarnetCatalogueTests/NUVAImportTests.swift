import Testing
@testable import CarnetCatalogue
#if canImport(Glibc)
import Glibc
#endif

/// The real NUVA release, read in place (never copied into the repository).
func nuvaDirectory() -> String {
    if let env = getenv("CARNET_NUVA_DIR") { return String(cString: env) }
    // Tests run from the package root (/work/main) or from a scratch package; try both.
    for candidate in ["../shared/data/nuva", "/work/shared/data/nuva"] where FileSystem.isDirectory(candidate) {
        return candidate
    }
    return "../shared/data/nuva"
}

@Suite("NUVA import")
struct NUVAImportTests {
    @Test func importsTheRealRelease() throws {
        let catalogue = try VaccineCatalogue.importNUVA(directory: nuvaDirectory(), mode: .replace)
        #expect(catalogue.count == 1441)
        let agrippal = try #require(catalogue.product(code: "61921204"))
        #expect(agrippal.name == "AGRIPPAL")
        #expect(agrippal.nuva == "VAC0002")
        #expect(agrippal.marketedInFrance)
        #expect(agrippal.targetDiseases.map(\.label) == ["Grippe saisonnière"])
        let hexyon = try #require(catalogue.product(code: "VAC0510"))
        #expect(hexyon.diseaseCodes == [Disease.diphtheria.code, Disease.tetanus.code, Disease.pertussis.code,
                                        Disease.polio.code, Disease.hib.code, Disease.hepatitisB.code])
        #expect(hexyon.cip13.contains("3400927349997"))
        // French label of an abstract vaccine, with its English label searchable too.
        let abstractFlu = try #require(catalogue.product(code: "VAC0110"))
        #expect(abstractFlu.isAbstract)
        #expect(abstractFlu.name == "Vaccin Grippe, sans précision")
        #expect(!abstractFlu.marketedInFrance)
    }

    @Test func searchOverTheRealRelease() throws {
        let catalogue = try VaccineCatalogue.importNUVA(directory: nuvaDirectory(), mode: .replace)
        let flu = catalogue.search("grippe", limit: 200)
        #expect(flu.count > 20)
        #expect(flu.contains { $0.name == "AGRIPPAL" })
        #expect(flu.first?.marketedInFrance == true)
        #expect(catalogue.search("meningocoque b", limit: 20).contains { $0.name == "BEXSERO" })
        #expect(catalogue.search("méningocoque B", limit: 20).contains { $0.name == "BEXSERO" })
        #expect(catalogue.search("ror", limit: 20).contains { $0.name == "M-M-RVAXPRO" })
        #expect(catalogue.search("rougeole", limit: 50).contains { $0.name == "PRIORIX" })
        #expect(catalogue.search("61921204", limit: 5).first?.name == "AGRIPPAL")
    }

    @Test func extendBuiltInKeepsBuiltInProductsAndAddsTheRest() throws {
        let catalogue = try VaccineCatalogue.importNUVA(directory: nuvaDirectory(), mode: .extendBuiltIn)
        let builtIn = VaccineCatalogue.builtIn
        #expect(catalogue.count == 1441)  // every built-in product has a NUVA code of this release
        #expect(Array(catalogue.products.prefix(builtIn.count)) == builtIn.products)
        // The built-in flag wins: BCG PASTEUR has a CIS but is marked not marketed in the built-in list.
        #expect(catalogue.product(code: "VAC0080")?.marketedInFrance == false)
    }

    @Test func missingDirectoryIsAnErrorNamingIt() {
        #expect(throws: CatalogueError.unreadable(file: "/nonexistent/nuva", reason: "not a directory")) {
            try VaccineCatalogue.importNUVA(directory: "/nonexistent/nuva", mode: .replace)
        }
    }
}

/// Builds small NUVA-shaped directories in /tmp, each broken in one way.
struct TempRelease {
    let root: String

    init(_ name: String) {
        var template = Array("/tmp/carnet-nuva-\(name)-XXXXXX".utf8CString)
        let made = template.withUnsafeMutableBufferPointer { buffer -> String? in
            guard let base = buffer.baseAddress, mkdtemp(base) != nil else { return nil }
            return String(cString: base)
        }
        root = made ?? "/tmp/carnet-nuva-\(name)"
        for dir in ["Units", "Units/Targets", "Units/Valences", "Units/Vaccines", "Translations"] {
            mkdir(root + "/" + dir, 0o755)
        }
        write("Units/Targets/DIS001.yml", "label: Diphtheria\ncreated: '2021-07-19'\n")
        write("Units/Targets/DIS015.yml", "label: Seasonal influenza\n")
        write("Units/Valences/VAL097.yml", "label: Diphtheria valence\nshorthand: D\nparent: Valence\ntarget: DIS001\n")
        write("Units/Valences/VAL015.yml", "label: Influenza valence\nshorthand: INF\nparent: Valence\ntarget: DIS015\n")
        write("Units/Valences/VAL016.yml", "label: Influenza child valence\nshorthand: INF-c\nparent: VAL015\n")
        write("Units/Vaccines/VAC0002.yml", """
            abstract: false
            label: AGRIPPAL
            comment: 'Trivalent inactivated influenza vaccine, egg-based,
              surface antigen'
            codes:
              AIC:
              - 012875
              CIS:
              - '61921204'
              CIP:
              - '3400934975448'
            valences:
            - VAL015

            """)
        write("Units/Vaccines/VAC0003.yml", "abstract: true\nlabel: Flu child vaccine\ncodes:\n  NUVACode:\n  - '0003'\nvalences:\n- VAL016\n")
        write("Translations/nuva_fr.yml", """
            fr:
              disease:
                DIS001L: Diphtérie
                DIS015L: Grippe saisonnière
              vaccine:
                VAC0003L: Vaccin grippe enfant, sans
                  précision
              valence:
                VAL015L: "Valence grippe"

            """)
    }

    func write(_ relative: String, _ text: String) {
        let path = root + "/" + relative
        guard let f = fopen(path, "wb") else { return }
        _ = text.utf8CString.withUnsafeBufferPointer { fputs($0.baseAddress, f) }
        fclose(f)
    }

    func remove(_ relative: String) { unlink(root + "/" + relative) }

    func cleanUp() {
        for dir in ["Units/Targets", "Units/Valences", "Units/Vaccines", "Translations"] {
            for name in (try? FileSystem.list(root + "/" + dir)) ?? [] { unlink(root + "/" + dir + "/" + name) }
            rmdir(root + "/" + dir)
        }
        rmdir(root + "/Units")
        rmdir(root)
    }
}

@Suite("NUVA import of malformed directories")
struct MalformedNUVATests {
    @Test func wellFormedTemporaryReleaseLoads() throws {
        let release = TempRelease("ok")
        defer { release.cleanUp() }
        let catalogue = try VaccineCatalogue.importNUVA(directory: release.root, mode: .replace)
        #expect(catalogue.count == 2)
        let flu = try #require(catalogue.product(code: "VAC0003"))
        #expect(flu.name == "Vaccin grippe enfant, sans précision")
        #expect(flu.targetDiseases == [TargetDisease(code: "DIS015", label: "Grippe saisonnière")])  // inherited via parent
        #expect(flu.valences.first?.label == "Influenza child valence")
        #expect(catalogue.product(code: "61921204")?.valences.first?.label == "Valence grippe")
        #expect(catalogue.search("grippe", limit: 5).map(\.name) == ["AGRIPPAL", "Vaccin grippe enfant, sans précision"])
    }

    /// Each case breaks one file; the error must name that file, and no catalogue is returned.
    @Test(arguments: [
        ("Units/Vaccines/VAC0002.yml", "abstract: false\nlabel: [AGRIPPAL]\nvalences:\n- VAL015\n"),
        ("Units/Vaccines/VAC0002.yml", "abstract: false\nlabel: 'AGRIPPAL\nvalences:\n- VAL015\n"),
        ("Units/Vaccines/VAC0002.yml", "abstract: false\nlabel: AGRIPPAL\nvalences:\n- VAL999\n"),
        ("Units/Vaccines/VAC0002.yml", "abstract: maybe\nlabel: AGRIPPAL\nvalences:\n- VAL015\n"),
        ("Units/Vaccines/VAC0002.yml", "abstract: false\nvalences:\n- VAL015\n"),
        ("Units/Vaccines/VAC0002.yml", "abstract: false\nlabel: AGRIPPAL\n"),
        ("Units/Vaccines/VAC0002.yml", "abstract: false\nlabel: AGRIPPAL\nlabel: AGAIN\nvalences:\n- VAL015\n"),
        ("Units/Vaccines/VAC0002.yml", "abstract: false\n\tlabel: AGRIPPAL\nvalences:\n- VAL015\n"),
        ("Units/Vaccines/VAC0002.yml", "abstract: false\nlabel: AGRIPPAL\ncodes:\n  CIS: |\n    61921204\nvalences:\n- VAL015\n"),
        ("Units/Vaccines/VAC0002.yml", "- just\n- a list\n"),
        ("Units/Vaccines/VAC0002.yml", "abstract: false\nlabel: \u{FF}\u{FE}\nvalences:\n  - VAL015\n   - VAL097\n"),
        ("Units/Valences/VAL015.yml", "label: Influenza valence\ntarget: DIS999\n"),
        ("Units/Valences/VAL016.yml", "label: orphan valence\nparent: VAL404\n"),
        ("Units/Targets/DIS015.yml", "created: '2021-07-19'\n"),
        ("Translations/nuva_fr.yml", "fr:\n  disease: [a, b]\n"),
        ("Translations/nuva_fr.yml", "fr:\n  disease:\n    DIS001L: \"unterminated\n"),
    ])
    func brokenFileIsNamed(file: String, content: String) {
        let release = TempRelease("bad")
        defer { release.cleanUp() }
        release.write(file, content)
        var result: VaccineCatalogue?
        do {
            result = try VaccineCatalogue.importNUVA(directory: release.root, mode: .replace)
            Issue.record("a malformed \(file) was accepted")
        } catch {
            #expect(error.file == release.root + "/" + file, "\(error)")
            #expect(error.description.contains(file))
        }
        #expect(result == nil)
    }

    @Test func invalidUTF8IsNamed() {
        let release = TempRelease("utf8")
        defer { release.cleanUp() }
        let path = release.root + "/Units/Targets/DIS001.yml"
        if let f = fopen(path, "wb") {
            let bytes: [UInt8] = Array("label: Dipht".utf8) + [0xC3, 0x28] + [0x0A]
            _ = bytes.withUnsafeBufferPointer { fwrite($0.baseAddress, 1, $0.count, f) }
            fclose(f)
        }
        #expect(throws: CatalogueError.unreadable(file: path, reason: "not valid UTF-8")) {
            try VaccineCatalogue.importNUVA(directory: release.root, mode: .replace)
        }
    }

    @Test(arguments: ["Translations/nuva_fr.yml", "Units/Targets/DIS001.yml"])
    func missingFileOrEmptyDirectoryIsNamed(file: String) {
        let release = TempRelease("missing")
        defer { release.cleanUp() }
        release.remove(file)
        do {
            _ = try VaccineCatalogue.importNUVA(directory: release.root, mode: .replace)
            Issue.record("accepted a release without \(file)")
        } catch {
            // Removing the translations names that file; removing DIS001 leaves VAL097 dangling.
            if file.hasPrefix("Translations") {
                #expect(error.file == release.root + "/" + file)
            } else {
                #expect(error == .danglingReference(file: release.root + "/Units/Valences/VAL097.yml", code: "DIS001"))
            }
        }
    }

    @Test func emptyUnitDirectoryIsNamed() {
        let release = TempRelease("empty")
        defer { release.cleanUp() }
        release.remove("Units/Vaccines/VAC0002.yml")
        release.remove("Units/Vaccines/VAC0003.yml")
        #expect(throws: CatalogueError.empty(file: release.root + "/Units/Vaccines")) {
            try VaccineCatalogue.importNUVA(directory: release.root, mode: .replace)
        }
    }
}
