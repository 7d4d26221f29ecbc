/// The CI-SIS "Note de vaccination" (volet Vaccination, modèle VAC-NOTE 2023.01): a CDA R2 document
/// for one vaccination, written from what Carnet knows (`NoteVaccination`) and what the host told
/// (`NoteContext`). The element order follows the CDA R2 schema (POCD_MT000040); the templates,
/// codes and cardinalities follow the ANS's specification and its conformance schematron
/// (docs/dmp.md lists each element and where its value comes from). Every value is escaped by
/// `XMLWriter`.
enum VaccinationNoteDocument {
    static let loinc = "2.16.840.1.113883.6.1"
    static let cisOID = "1.2.250.1.213.2.3.1"
    static let atcOID = "2.16.840.1.113883.6.73"
    /// Professionals' national identifiers (IDNPS) and structures' (IdNat_Struct).
    static let professionalIDRoot = "1.2.250.1.71.4.2.1"
    static let structureIDRoot = "1.2.250.1.71.4.2.2"

    static func xml(vaccination v: NoteVaccination, context c: NoteContext) -> String {
        var w = XMLWriter()
        w.start("ClinicalDocument", [
            ("xmlns", "urn:hl7-org:v3"), ("xmlns:xsi", "http://www.w3.org/2001/XMLSchema-instance"),
        ])
        header(&w, v, c)
        w.within("component") { w in
            w.within("structuredBody") { w in
                w.within("component") { w in section(&w, v, c) }
            }
        }
        w.end()
        return w.text + "\n"
    }

    // MARK: - Header

    private static func header(_ w: inout XMLWriter, _ v: NoteVaccination, _ c: NoteContext) {
        let d = c.document
        w.empty("realmCode", [("code", "FR")])
        w.empty("typeId", [("root", "2.16.840.1.113883.1.3"), ("extension", "POCD_HD000040")])
        w.empty("templateId", [("root", "2.16.840.1.113883.2.8.2.1")])  // HL7 France
        w.empty("templateId", [("root", "1.2.250.1.213.1.1.1.1")])  // CI-SIS
        w.empty("templateId", [("root", "1.3.6.1.4.1.19376.1.5.3.1.1.18.1.2")])  // IHE PCC Immunization Content
        w.empty("templateId", [("root", "1.2.250.1.213.1.1.1.46"), ("extension", "2023.01")])  // VAC-NOTE 2023.01
        instanceID(&w, "id", d.id)
        w.empty("code", [
            ("code", "87273-9"), ("codeSystem", loinc), ("codeSystemName", "LOINC"),
            ("displayName", "Note de vaccination"),
        ])
        w.element("title", text: "Note de vaccination")
        w.empty("effectiveTime", [("value", d.effectiveTime)])
        concept(&w, "confidentialityCode", d.confidentiality)
        w.empty("languageCode", [("code", "fr-FR")])
        instanceID(&w, "setId", d.setID)
        w.empty("versionNumber", [("value", String(d.version))])
        recordTarget(&w, c.patient)
        author(&w, c.author, time: d.effectiveTime, structure: c.structure)
        // The vaccinator is among the document's authors (VAC-NOTE), once.
        if c.vaccinator.nationalID != c.author.nationalID {
            author(&w, c.vaccinator, time: d.effectiveTime, structure: c.structure)
        }
        w.within("custodian") { w in
            w.within("assignedCustodian") { w in
                w.within("representedCustodianOrganization") { w in
                    w.empty("id", [("root", structureIDRoot), ("extension", c.structure.id)])
                    w.element("name", text: c.structure.name)
                }
            }
        }
        w.within("legalAuthenticator") { w in
            w.empty("time", [("value", d.effectiveTime)])
            w.empty("signatureCode", [("code", "S")])
            assignedEntity(&w, c.author, structure: c.structure, industryClass: false)
        }
        w.within("documentationOf") { w in
            w.within("serviceEvent", [("classCode", "ACT"), ("moodCode", "EVN")]) { w in
                w.within("effectiveTime") { w in w.empty("low", [("value", v.date)]) }
                w.within("performer", [("typeCode", "PRF")]) { w in
                    assignedEntity(&w, c.vaccinator, structure: c.structure, industryClass: true)
                }
            }
        }
        if let replaced = d.replaces {
            w.within("relatedDocument", [("typeCode", "RPLC")]) { w in
                w.within("parentDocument") { w in instanceID(&w, "id", replaced) }
            }
        }
        w.within("componentOf") { w in
            w.within("encompassingEncounter") { w in
                w.empty("effectiveTime", [("value", v.date)])
                w.within("location") { w in
                    w.within("healthCareFacility") { w in concept(&w, "code", c.structure.facilityType) }
                }
            }
        }
    }

    private static func recordTarget(_ w: inout XMLWriter, _ p: NoteContext.Patient) {
        w.within("recordTarget") { w in
            w.within("patientRole") { w in
                if let ins = p.ins { w.empty("id", [("root", ins.oid), ("extension", ins.value)]) }
                if let local = p.localID { instanceID(&w, "id", local) }
                w.within("patient") { w in
                    w.within("name") { w in
                        w.element("given", [("qualifier", "BR")], text: p.firstBirthGivenName)
                        if let all = p.birthGivenNames { w.element("given", text: all) }
                        if let used = p.usedGivenName { w.element("given", [("qualifier", "CL")], text: used) }
                        w.element("family", [("qualifier", "BR")], text: p.birthFamilyName)
                        if let used = p.usedFamilyName { w.element("family", [("qualifier", "CL")], text: used) }
                    }
                    concept(&w, "administrativeGenderCode", p.gender)
                    w.empty("birthTime", [("value", p.birthTime)])
                }
            }
        }
    }

    private static func author(
        _ w: inout XMLWriter, _ person: NoteContext.Professional, time: String, structure: NoteContext.Structure?
    ) {
        w.within("author") { w in
            w.empty("time", [("value", time)])
            w.within("assignedAuthor") { w in
                w.empty("id", [("root", professionalIDRoot), ("extension", person.nationalID)])
                concept(&w, "code", person.profession)
                w.within("assignedPerson") { w in personName(&w, person) }
                if let structure {
                    w.within("representedOrganization") { w in
                        w.empty("id", [("root", structureIDRoot), ("extension", structure.id)])
                        w.element("name", text: structure.name)
                    }
                }
            }
        }
    }

    private static func assignedEntity(
        _ w: inout XMLWriter, _ person: NoteContext.Professional, structure: NoteContext.Structure, industryClass: Bool
    ) {
        w.within("assignedEntity") { w in
            w.empty("id", [("root", professionalIDRoot), ("extension", person.nationalID)])
            concept(&w, "code", person.profession)
            w.within("assignedPerson") { w in personName(&w, person) }
            w.within("representedOrganization") { w in
                w.empty("id", [("root", structureIDRoot), ("extension", structure.id)])
                w.element("name", text: structure.name)
                if industryClass { concept(&w, "standardIndustryClassCode", structure.practiceSetting) }
            }
        }
    }

    private static func personName(_ w: inout XMLWriter, _ person: NoteContext.Professional) {
        w.within("name") { w in
            if let prefix = person.prefix { w.element("prefix", text: prefix) }
            if let given = person.givenName { w.element("given", text: given) }
            w.element("family", text: person.familyName)
        }
    }

    // MARK: - Body

    static let entryReference = "vaccination-1"
    static let productReference = "vaccination-1-produit"

    private static func section(_ w: inout XMLWriter, _ v: NoteVaccination, _ c: NoteContext) {
        w.within("section") { w in
            w.empty("templateId", [("root", "1.3.6.1.4.1.19376.1.5.3.1.3.23")])  // IHE PCC Immunizations
            w.empty("templateId", [("root", "2.16.840.1.113883.10.20.1.6")])  // CCD Immunizations
            w.empty("templateId", [("root", "1.2.250.1.213.1.1.2.147")])  // FR-Vaccinations
            w.empty("code", [
                ("code", "11369-6"), ("codeSystem", loinc), ("codeSystemName", "LOINC"),
                ("displayName", "Historique des vaccinations"),
            ])
            w.element("title", text: "Vaccination")
            narrative(&w, v, c)
            w.within("entry") { w in entry(&w, v, c) }
        }
    }

    /// The human-readable block: one table row, each cell the coded value's display, so a reader of
    /// the narrative sees exactly what the entry codes (tests check they agree).
    private static func narrative(_ w: inout XMLWriter, _ v: NoteVaccination, _ c: NoteContext) {
        let dateText = v.date.count == 8
            ? String(v.date.suffix(2)) + "/" + String(v.date.dropFirst(4).prefix(2)) + "/" + String(v.date.prefix(4))
            : v.date
        let vaccinator = [c.vaccinator.prefix, c.vaccinator.givenName, c.vaccinator.familyName]
            .compactMap { $0 }.joined(separator: " ")
        var columns: [(String, String, String?)] = [
            ("Date", dateText, nil), ("Vaccin", v.productName, productReference), ("Code CIS", v.cis, nil),
            ("Classe ATC", v.atc + " " + v.atcLabel, nil), ("Lot", v.lot, nil),
            ("Type", c.immunizationType.displayName, nil),
        ]
        if let route = v.route { columns.append(("Voie", route.displayName, nil)) }
        if let site = v.site { columns.append(("Site", site.displayName, nil)) }
        if let dose = v.doseNumber { columns.append(("Rang", String(dose), nil)) }
        columns.append(("Vaccinateur", vaccinator, nil))
        w.within("text") { w in
            w.within("table", [("border", "1")]) { w in
                w.within("thead") { w in
                    w.within("tr") { w in for column in columns { w.element("th", text: column.0) } }
                }
                w.within("tbody") { w in
                    w.within("tr", [("ID", entryReference)]) { w in
                        for column in columns { w.element("td", [("ID", column.2)], text: column.1) }
                    }
                }
            }
        }
    }

    private static func entry(_ w: inout XMLWriter, _ v: NoteVaccination, _ c: NoteContext) {
        w.within("substanceAdministration", [("classCode", "SBADM"), ("moodCode", "EVN"), ("negationInd", "false")]) { w in
            w.empty("templateId", [("root", "1.3.6.1.4.1.19376.1.5.3.1.4.12")])  // IHE PCC Immunizations
            w.empty("templateId", [("root", "2.16.840.1.113883.10.20.1.24")])  // CCD Medication activity
            w.empty("templateId", [("root", "1.2.250.1.213.1.1.3.45")])  // FR-Vaccination
            // Unique within the document's own id root (the host guarantees the document id is unique).
            w.empty("id", [
                ("root", c.document.id.root),
                ("extension", (c.document.id.extension_.map { $0 + "." } ?? "") + "vaccination-1"),
            ])
            concept(&w, "code", c.immunizationType)
            w.within("text") { w in w.empty("reference", [("value", "#" + entryReference)]) }
            w.empty("statusCode", [("code", "completed")])
            w.empty("effectiveTime", [("value", v.date)])
            if let route = v.route { concept(&w, "routeCode", route) }
            if let site = v.site { concept(&w, "approachSiteCode", site) }
            w.within("consumable") { w in
                w.within("manufacturedProduct", [("classCode", "MANU")]) { w in
                    w.empty("templateId", [("root", "1.3.6.1.4.1.19376.1.5.3.1.4.7.2")])  // IHE PCC Product Entry
                    w.empty("templateId", [("root", "2.16.840.1.113883.10.20.1.53")])  // CCD Product
                    w.empty("templateId", [("root", "1.2.250.1.213.1.1.3.43")])  // FR-Produit-de-sante
                    w.within("manufacturedMaterial", [("classCode", "MMAT"), ("determinerCode", "KIND")]) { w in
                        w.within("code", [
                            ("code", v.cis), ("codeSystem", cisOID), ("codeSystemName", "CIS"),
                            ("displayName", v.productName),
                        ]) { w in
                            w.within("originalText") { w in w.empty("reference", [("value", "#" + productReference)]) }
                            w.empty("translation", [
                                ("code", v.atc), ("codeSystem", atcOID), ("codeSystemName", "ATC"),
                                ("displayName", v.atcLabel),
                            ])
                        }
                        w.element("name", text: v.productName)
                        w.element("lotNumberText", text: v.lot)
                    }
                }
            }
            w.within("performer", [("typeCode", "PRF")]) { w in
                assignedEntity(&w, c.vaccinator, structure: c.structure, industryClass: false)
            }
            // Who validated that the vaccination was done: the note's author.
            w.within("author") { w in
                w.empty("time", [("value", c.document.effectiveTime)])
                w.within("assignedAuthor") { w in
                    w.empty("id", [("root", professionalIDRoot), ("extension", c.author.nationalID)])
                    concept(&w, "code", c.author.profession)
                    w.within("assignedPerson") { w in personName(&w, c.author) }
                }
            }
            if let dose = v.doseNumber {
                w.within("entryRelationship", [("typeCode", "SUBJ")]) { w in
                    w.within("observation", [("classCode", "OBS"), ("moodCode", "EVN")]) { w in
                        w.empty("templateId", [("root", "2.16.840.1.113883.10.20.1.46")])  // CCD series number
                        w.empty("templateId", [("root", "1.2.250.1.213.1.1.3.82")])  // FR-Rang-de-la-vaccination
                        w.empty("code", [
                            ("code", "30973-2"), ("codeSystem", loinc), ("codeSystemName", "LOINC"),
                            ("displayName", "Rang de la vaccination"),
                        ])
                        w.empty("statusCode", [("code", "completed")])
                        w.empty("value", [("xsi:type", "INT"), ("value", String(dose))])
                    }
                }
            }
        }
    }

    // MARK: - Data types

    private static func instanceID(_ w: inout XMLWriter, _ name: String, _ id: NoteContext.InstanceID) {
        w.empty(name, [("root", id.root), ("extension", id.extension_)])
    }

    private static func concept(_ w: inout XMLWriter, _ name: String, _ concept: CISISValueSets.Concept) {
        w.empty(name, [("code", concept.code), ("codeSystem", concept.codeSystem), ("displayName", concept.displayName)])
    }
}
