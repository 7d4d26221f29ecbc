"""The DMP vaccination note (carnet_vaccination_dmp_note, docs/dmp.md).

Vaccinations are recorded through the C ABI against a real carnet-sandbox (mutual TLS), then the
note of each is asked for and checked:
- against a structural model of the CDA R2 schema (element order and cardinalities of every element
  the note uses, written here from the CDA R2 normative schema POCD_MT000040 — the XSD itself is
  not copied);
- against executable versions of the rules of the ANS schematron CI-SIS_VAC-NOTE_2023.01.sch and of
  the CI-SIS "structuration minimale" header rules it is run with, one test per rule; each test also
  mutates a good note and checks the rule reports it (a rule that cannot fail proves nothing);
- the narrative block against the coded entry;
- the coded content parsed back against the Immunization recorded (round trip), for several
  catalogue products.
"""
import copy
import json
import os
import re

import pytest
from lxml import etree

import carnet
from carnet import C, CarnetFailure
from conftest import open_client

NS = {"h": "urn:hl7-org:v3", "xsi": "http://www.w3.org/2001/XMLSchema-instance"}
H = "{urn:hl7-org:v3}"
XSI_TYPE = "{http://www.w3.org/2001/XMLSchema-instance}type"
CIS_SYSTEM = "https://smt.esante.gouv.fr/terminologie-bdpm"
EDQM = "http://standardterms.edqm.eu"
SNOMED = "http://snomed.info/sct"
CATALOGUE_SOURCE = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "Sources",
                                "CarnetCatalogue", "Catalogue", "BuiltInCatalogue.swift")

# The CI-SIS value sets (JDV_ImmunizationRouteCodes_CISIS, JDV_ImmunizationApproachSiteCode_CISIS,
# JDV_HL7_ActSubstanceAdministrationImmunizationCode_CISIS): codes only, as the rules check them.
ROUTES = {"20035000", "20030000", "20020000", "20053000", "20066000"}
SITES = {"64262003", "66480008", "16217661000119109", "16217701000119102", "91774008", "91775009",
         "11207009", "61396006", "723980000", "723979003"}
IMMUNIZATION_CODES = {"IMMUNIZ", "INITIMMUNIZ", "BOOSTER"}
INS_ROOTS = {"1.2.250.1.213.1.4.8", "1.2.250.1.213.1.4.9", "1.2.250.1.213.1.4.10", "1.2.250.1.213.1.4.11"}
PREFIXES = {"M", "MLLE", "MME", "DR", "MC", "MG", "PC", "PG", "PR"}


def catalogue_line(cis):
    """The built-in catalogue's own data line for a CIS code: name and ATC, read from the source."""
    with open(CATALOGUE_SOURCE, encoding="utf-8") as source:
        for line in source:
            if line.startswith("product ") and f" {cis} " in line.replace("|", " | ") + " ":
                fields = {part.strip().split(" ", 1)[0]: part.strip().split(" ", 1)[1]
                          for part in line.strip().split("|") if " " in part.strip()}
                return {"name": fields["product"], "atc": fields["atc"].split()[0]}
    raise AssertionError(f"CIS {cis} not in the built-in catalogue")


def ins_with_key(thirteen):
    return thirteen + "%02d" % (97 - int(thirteen) % 97)


VALID_INS = ins_with_key("2790351215189")
AUTHOR = {"rpps": "10001234567", "prefix": "DR", "given_name": "Claire", "family_name": "Médecin-Généraliste",
          "profession": {"code": "10", "system": "1.2.250.1.71.1.2.7", "display": "Médecin"}}
NURSE = {"rpps": "10009876543", "given_name": "Paul", "family_name": "Infirmier",
         "profession": {"code": "60", "system": "1.2.250.1.71.1.2.7", "display": "Infirmier"}}


def context(**changes):
    base = {
        "document": {"id": {"root": "1.2.250.1.999.1.1", "extension": "NOTE-1"},
                     "set_id": {"root": "1.2.250.1.999.1.2", "extension": "SET-1"}, "version": 1,
                     "effective_time": "2026-11-30T10:15:00+01:00", "confidentiality": "N"},
        "patient": {"ins": {"value": VALID_INS, "oid": "1.2.250.1.213.1.4.10", "qualified": True},
                    "local_id": {"root": "1.2.250.1.999.3", "extension": "IPP-42"},
                    "birth_family_name": "Durand", "first_birth_given_name": "Jeanne",
                    "birth_given_names": "Jeanne Marie", "birth_date": "1979-03-12", "gender": "F"},
        "author": AUTHOR,
        "vaccinator": NURSE,
        "structure": {"id": "31234567890123", "name": "Cabinet du Parc",
                      "facility_type": {"code": "SA07", "system": "1.2.250.1.71.4.2.4", "display": "Cabinet individuel"},
                      "practice_setting": {"code": "AMBULATOIRE", "system": "1.2.250.1.213.1.1.4.9",
                                           "display": "Ambulatoire"}},
    }
    base = copy.deepcopy(base)  # AUTHOR and NURSE are shared by every test
    for path, value in changes.items():
        node = base
        keys = path.split("__")
        for key in keys[:-1]:
            node = node[key]
        if value is DELETE:
            node.pop(keys[-1], None)
        else:
            node[keys[-1]] = value
    return base


DELETE = object()

# Several catalogue products, each recorded with other details (route, site, dose, performer).
PRODUCTS = [
    ("v-hexyon", "60645557", {"code": "20035000", "system": EDQM}, {"code": "61396006", "system": SNOMED}, 2),
    ("v-prevenar", "62189757", {"code": "IM", "system": "http://terminology.hl7.org/CodeSystem/v3-RouteOfAdministration"},
     {"code": "RD", "system": "http://terminology.hl7.org/CodeSystem/v3-ActSite"}, 1),
    ("v-gardasil", "61429103", {"code": "20035000", "system": EDQM}, {"code": "16217701000119102", "system": SNOMED}, 3),
    ("v-grippe", "61402736", None, None, None),
    ("v-ror", "61896473", {"code": "20066000", "system": EDQM}, {"code": "91775009", "system": SNOMED}, 1),
    ("v-rotarix", "60755263", {"code": "20053000", "system": EDQM}, None, 2),
    ("v-shingrix", "62887096", {"code": "20035000", "system": EDQM}, {"code": "91774008", "system": SNOMED}, 2),
]
EXPECTED_ROUTE = {"v-hexyon": "20035000", "v-prevenar": "20035000", "v-gardasil": "20035000", "v-ror": "20066000",
                  "v-rotarix": "20053000", "v-shingrix": "20035000"}
EXPECTED_SITE = {"v-hexyon": "61396006", "v-prevenar": "16217661000119109", "v-gardasil": "16217701000119102",
                 "v-ror": "91775009", "v-shingrix": "91774008"}


# NUVA aligns no ATC code with VAXIGRIPTETRA: the host's Immunization says it (the note takes the
# Immunization's ATC coding first); without it the note is refused (test below).
ATC_CODINGS = {"61402736": {"system": "http://www.whocc.no/atc", "code": "J07BB02"}}


def immunization(host_id, cis, route=None, site=None, dose=None, lot="LOT-<&>\"'1", performer=True, atc=True):
    codings = [{"system": CIS_SYSTEM, "code": cis}] + ([ATC_CODINGS[cis]] if atc and cis in ATC_CODINGS else [])
    document = {"resourceType": "Immunization", "identifier": [{"value": host_id}], "status": "completed",
                "vaccineCode": {"coding": codings},
                "occurrenceDateTime": "2026-11-28", "lotNumber": lot}
    if route:
        document["route"] = {"coding": [route]}
    if site:
        document["site"] = {"coding": [site]}
    if dose:
        document["protocolApplied"] = [{"doseNumberPositiveInt": dose}]
    if performer:
        document["performer"] = [{"actor": {"identifier": {"system": "urn:oid:1.2.250.1.71.4.2.1",
                                                           "value": "8" + NURSE["rpps"]},
                                            "display": "Paul Infirmier"}}]
    return document


@pytest.fixture(scope="module")
def recorded(lib, sandbox, tmp_path_factory):
    """A professional's client with a carnet holding one vaccination per product of PRODUCTS."""
    professional = sandbox.create_professional()
    client = open_client(lib, sandbox, str(tmp_path_factory.mktemp("dmp") / "store"), professional)
    client.certificate_enroll(professional.withdrawal_code)
    client.record_create("patient", {
        "resourceType": "Patient", "name": [{"family": "Durand", "given": ["Jeanne"]}], "birthDate": "1979-03-12",
        "gender": "female", "telecom": [{"system": "email", "value": "jeanne.dmp@example.org"}]})
    documents = {}
    for host_id, cis, route, site, dose in PRODUCTS:
        documents[host_id] = immunization(host_id, cis, route, site, dose)
        status, state = client.vaccination_add("patient", documents[host_id])
        assert status == C["CARNET_OK"], state
    client.documents = documents
    yield client
    client.close()


@pytest.fixture(scope="module")
def notes(recorded):
    """host id → the parsed note, as the library wrote it."""
    out = {}
    for host_id, *_ in PRODUCTS:
        xml = recorded.vaccination_dmp_note("patient", host_id, context())
        assert xml.startswith('<?xml version="1.0" encoding="UTF-8"?>')
        out[host_id] = etree.fromstring(xml.encode("utf-8"))
    return out


def x(node, path):
    return node.xpath(path, namespaces=NS)


def one(node, path):
    found = x(node, path)
    assert len(found) == 1, f"{path}: {len(found)} found"
    return found[0]


# --- Structure: a compact model of the CDA R2 schema for the elements the note uses -------------
# element name → ordered children (name, min, max). Elements not listed are leaves (attributes /
# text only). The order is the schema's sequence; max None means unbounded.
U = None
MODEL = {
    "ClinicalDocument": [("realmCode", 0, U), ("typeId", 1, 1), ("templateId", 0, U), ("id", 1, 1), ("code", 1, 1),
                         ("title", 0, 1), ("effectiveTime", 1, 1), ("confidentialityCode", 1, 1),
                         ("languageCode", 0, 1), ("setId", 0, 1), ("versionNumber", 0, 1), ("copyTime", 0, 1),
                         ("recordTarget", 1, U), ("author", 1, U), ("dataEnterer", 0, 1), ("informant", 0, U),
                         ("custodian", 1, 1), ("informationRecipient", 0, U), ("legalAuthenticator", 0, 1),
                         ("authenticator", 0, U), ("participant", 0, U), ("inFulfillmentOf", 0, U),
                         ("documentationOf", 0, U), ("relatedDocument", 0, U), ("authorization", 0, U),
                         ("componentOf", 0, 1), ("component", 1, 1)],
    "recordTarget": [("patientRole", 1, 1)],
    "patientRole": [("id", 1, U), ("addr", 0, U), ("telecom", 0, U), ("patient", 0, 1), ("providerOrganization", 0, 1)],
    "patient": [("id", 0, 1), ("name", 0, U), ("administrativeGenderCode", 0, 1), ("birthTime", 0, 1)],
    "author": [("functionCode", 0, 1), ("time", 1, 1), ("assignedAuthor", 1, 1)],
    "assignedAuthor": [("id", 1, U), ("code", 0, 1), ("addr", 0, U), ("telecom", 0, U), ("assignedPerson", 0, 1),
                       ("representedOrganization", 0, 1)],
    "assignedPerson": [("name", 0, U)],
    "representedOrganization": [("id", 0, U), ("name", 0, U), ("telecom", 0, U), ("addr", 0, U),
                                ("standardIndustryClassCode", 0, 1)],
    "custodian": [("assignedCustodian", 1, 1)],
    "assignedCustodian": [("representedCustodianOrganization", 1, 1)],
    "representedCustodianOrganization": [("id", 1, U), ("name", 0, 1), ("telecom", 0, 1), ("addr", 0, 1)],
    "legalAuthenticator": [("time", 1, 1), ("signatureCode", 1, 1), ("assignedEntity", 1, 1)],
    "assignedEntity": [("id", 1, U), ("code", 0, 1), ("addr", 0, U), ("telecom", 0, U), ("assignedPerson", 0, 1),
                       ("representedOrganization", 0, 1)],
    "documentationOf": [("serviceEvent", 1, 1)],
    "serviceEvent": [("id", 0, U), ("code", 0, 1), ("effectiveTime", 0, 1), ("performer", 0, U)],
    "relatedDocument": [("parentDocument", 1, 1)],
    "parentDocument": [("id", 1, U), ("code", 0, 1), ("text", 0, 1), ("setId", 0, 1), ("versionNumber", 0, 1)],
    "componentOf": [("encompassingEncounter", 1, 1)],
    "encompassingEncounter": [("id", 0, U), ("code", 0, 1), ("effectiveTime", 1, 1), ("location", 0, 1)],
    "location": [("healthCareFacility", 1, 1)],
    "healthCareFacility": [("id", 0, U), ("code", 0, 1)],
    "structuredBody": [("component", 1, U)],
    "section": [("templateId", 0, U), ("id", 0, 1), ("code", 0, 1), ("title", 0, 1), ("text", 0, 1),
                ("entry", 0, U), ("component", 0, U)],
    "entry": [("substanceAdministration", 1, 1)],
    "substanceAdministration": [("templateId", 0, U), ("id", 0, U), ("code", 0, 1), ("text", 0, 1),
                                ("statusCode", 0, 1), ("effectiveTime", 0, U), ("routeCode", 0, 1),
                                ("approachSiteCode", 0, U), ("doseQuantity", 0, 1), ("consumable", 1, 1),
                                ("performer", 0, U), ("author", 0, U), ("entryRelationship", 0, U)],
    "consumable": [("manufacturedProduct", 1, 1)],
    "manufacturedProduct": [("templateId", 0, U), ("id", 0, U), ("manufacturedMaterial", 1, 1)],
    "manufacturedMaterial": [("templateId", 0, U), ("code", 0, 1), ("name", 0, 1), ("lotNumberText", 0, 1)],
    "entryRelationship": [("observation", 1, 1)],
    "observation": [("templateId", 0, U), ("id", 0, U), ("code", 1, 1), ("text", 0, 1), ("statusCode", 0, 1),
                    ("effectiveTime", 0, 1), ("value", 0, U)],
    "performer": [("functionCode", 0, 1), ("time", 0, 1), ("assignedEntity", 1, 1)],
}
# Where a name means different content models, the parent decides.
CONTEXT_MODEL = {
    ("ClinicalDocument", "component"): [("structuredBody", 1, 1)],
    ("structuredBody", "component"): [("section", 1, 1)],
    ("manufacturedMaterial", "code"): [("originalText", 0, 1), ("translation", 0, U)],
    ("originalText",): [("reference", 0, 1)],
    ("substanceAdministration", "text"): [("reference", 0, 1)],
    ("serviceEvent", "effectiveTime"): [("low", 0, 1), ("high", 0, 1)],
}
LEAVES = {"realmCode", "typeId", "templateId", "id", "code", "title", "effectiveTime", "confidentialityCode",
          "languageCode", "setId", "versionNumber", "time", "signatureCode", "administrativeGenderCode",
          "birthTime", "standardIndustryClassCode", "statusCode", "routeCode", "approachSiteCode",
          "lotNumberText", "value", "reference", "translation", "low", "high"}
NAMES = {"name"}  # PN/ON: free mix of given/family/prefix/suffix and text


def structure_problems(element, parent=None):
    name = etree.QName(element).localname
    if etree.QName(element).namespace != NS["h"]:
        return [f"{name}: not in the HL7 v3 namespace"]
    if name == "text" and parent == "section":
        return []  # the narrative block (StrucDoc.Text): checked by the narrative test
    model = CONTEXT_MODEL.get((parent, name)) or CONTEXT_MODEL.get((name,)) or MODEL.get(name)
    children = [c for c in element if isinstance(c.tag, str)]
    if model is None:
        if name in NAMES:
            bad = [c.tag for c in children if etree.QName(c).localname not in {"given", "family", "prefix", "suffix"}]
            return [f"name: unexpected {bad}"] if bad else []
        if name in LEAVES:
            return [f"{name}: unexpected child {etree.QName(children[0]).localname}"] if children else []
        return [f"{name}: element not in the model (under {parent})"]
    problems = []
    position = 0
    for child_name, low, high in model:
        count = 0
        while position < len(children) and etree.QName(children[position]).localname == child_name:
            problems += structure_problems(children[position], name)
            count += 1
            position += 1
        if count < low or (high is not None and count > high):
            problems.append(f"{name}/{child_name}: {count} (allowed {low}..{high or '*'})")
    if position < len(children):
        problems.append(f"{name}: {etree.QName(children[position]).localname} out of order or not allowed")
    return problems


def test_every_note_has_the_structure_of_the_cda_schema(notes):
    for host_id, note in notes.items():
        assert etree.QName(note).localname == "ClinicalDocument"
        assert structure_problems(note) == [], host_id


def test_the_structure_check_catches_an_element_out_of_order(notes):
    note = copy.deepcopy(notes["v-hexyon"])
    title = one(note, "/h:ClinicalDocument/h:title")
    note.remove(title)
    note.insert(0, title)
    assert structure_problems(note)
    note = copy.deepcopy(notes["v-hexyon"])
    material = one(note, "//h:manufacturedMaterial")
    etree.SubElement(material, H + "unknownThing")
    assert structure_problems(note)


# --- The rules ---------------------------------------------------------------------------------
# Each rule: (what it checks, check(note) → list of problems, mutate(note) making it fail).

def timestamp_ok(value):
    """IVL_TS.sch: aaaa, aaaamm, aaaammjj or aaaammjjhh[mm[ss]][+/-]zzzz."""
    if value is None:
        return False
    if re.fullmatch(r"\d{4}(\d{2}(\d{2})?)?", value):
        return len(value) < 6 or (int(value[4:6]) <= 12 and (len(value) < 8 or int(value[6:8]) <= 31))
    m = re.fullmatch(r"(\d{8})(\d{2})(\d{2})?(\d{2})?([+-]\d{4})", value)
    return bool(m) and int(m.group(1)[4:6]) <= 12 and int(m.group(1)[6:8]) <= 31 and int(m.group(2)) < 24


def check(condition, message):
    return [] if condition else [message]


def rule_realm_and_type(note):
    return (check(len(x(note, "h:realmCode")) == 1 and x(note, "h:realmCode/@code") == ["FR"], "realmCode FR [1..1]")
            + check(x(note, "h:typeId[@root='2.16.840.1.113883.1.3' and @extension='POCD_HD000040']"), "typeId"))


def rule_document_templates(note):
    roots = x(note, "h:templateId/@root")
    return (check(len(roots) >= 3, "at least three templateId")
            + check("2.16.840.1.113883.2.8.2.1" in roots, "HL7 France templateId")
            + check("1.2.250.1.213.1.1.1.1" in roots, "CI-SIS templateId")
            + check("1.3.6.1.4.1.19376.1.5.3.1.1.18.1.2" in roots, "IHE immunization content templateId")
            + check(len(x(note, "h:templateId[@root='1.2.250.1.213.1.1.1.46' and @extension='2023.01']")) == 1,
                    "VAC-NOTE 2023.01 templateId exactly once"))


def rule_document_code(note):
    return (check(x(note, "h:code[@code='87273-9' and @codeSystem='2.16.840.1.113883.6.1' and @displayName]"),
                  "code 87273-9 LOINC with displayName")
            + check(x(note, "h:title[normalize-space()]"), "title"))


def rule_document_id_and_versions(note):
    root = (x(note, "h:id/@root") or [""])[0]
    return (check(re.fullmatch(r"[0-2](\.(0|[1-9]\d*))+|[0-9a-fA-F]{8}(-[0-9a-fA-F]{4}){3}-[0-9a-fA-F]{12}", root),
                  "id/@root an OID or UUID")
            + check(x(note, "h:setId/@root"), "setId")
            + check(re.fullmatch(r"[1-9]\d*", (x(note, "h:versionNumber/@value") or [""])[0]), "versionNumber"))


def rule_effective_time(note):
    values = x(note, "h:effectiveTime/@value")
    return check(len(values) == 1 and timestamp_ok(values[0]) and len(values[0]) > 8,
                 "effectiveTime with a valid date and time and offset")


def rule_confidentiality_and_language(note):
    return (check(x(note, "h:confidentialityCode[@codeSystem='2.16.840.1.113883.5.25' and "
                          "(@code='N' or @code='R' or @code='V') and @displayName]"), "confidentialityCode N/R/V")
            + check(x(note, "h:languageCode[@code='fr-FR']"), "languageCode fr-FR"))


def rule_record_target(note):
    role = x(note, "h:recordTarget/h:patientRole")
    if len(x(note, "h:recordTarget")) != 1 or len(role) != 1:
        return ["recordTarget [1..1]"]
    role = role[0]
    families = x(role, "h:patient/h:name/h:family")
    return (check(not x(role, "h:id[@nullFlavor]") and x(role, "h:id[@root and @extension]"), "patientRole/id")
            + check(len(x(role, "h:patient/h:name")) == 1, "one patient name")
            + check(families and all(f.get("qualifier") in ("BR", "CL") for f in families), "family/@qualifier BR|CL")
            + check(all(g.get("qualifier") in (None, "BR", "CL") for g in x(role, "h:patient/h:name/h:given")),
                    "given/@qualifier BR|CL")
            + check(x(role, "h:patient/h:birthTime/@value"), "birthTime")
            + check(not x(role, "h:patient/h:raceCode|h:patient/h:religiousAffiliationCode|h:patient/h:ethnicGroupCode"),
                    "no race, religion, ethnic group"))


def rule_ins_traits(note):
    role = one(note, "h:recordTarget/h:patientRole")
    has_ins = any(root in INS_ROOTS for root in x(role, "h:id/@root"))
    traits = (x(role, "h:patient/h:name/h:family[@qualifier='BR']") and x(role, "h:patient/h:name/h:given[@qualifier='BR']")
              and x(role, "h:patient/h:birthTime") and x(role, "h:patient/h:administrativeGenderCode[@code]"))
    key_ok = all(len(v) == 15 and int(v[13:]) == 97 - int(v[:13]) % 97
                 for v in x(role, "h:id[@root='1.2.250.1.213.1.4.8' or @root='1.2.250.1.213.1.4.10']/@extension"))
    return check(not has_ins or traits, "INS traits (birth name, first birth given name, birth date, sex)") + \
        check(key_ok, "INS key")


def professional_problems(entity, where):
    ids = x(entity, "h:id")
    problems = check(len(ids) == 1 and ids[0].get("root") == "1.2.250.1.71.4.2.1"
                     and re.fullmatch(r"8\d{11}", ids[0].get("extension") or ""), f"{where}: id RPPS-based (8 + RPPS)")
    problems += check(x(entity, "h:code[@code and @codeSystem and @displayName]"), f"{where}: profession with displayName")
    person = x(entity, "h:assignedPerson")
    problems += check(len(person) == 1 and len(x(person[0], "h:name")) == 1
                      and len(x(person[0], "h:name/h:family")) == 1 and len(x(person[0], "h:name/h:given")) <= 1
                      and len(x(person[0], "h:name/h:prefix")) <= 1, f"{where}: one name with one family")
    problems += check(all(p.text in PREFIXES for p in x(entity, "h:assignedPerson/h:name/h:prefix")), f"{where}: prefix")
    problems += check(all(o == "1.2.250.1.71.4.2.2" for o in x(entity, "h:representedOrganization/h:id/@root")),
                      f"{where}: representedOrganization/id root 1.2.250.1.71.4.2.2")
    return problems


def rule_document_authors(note):
    authors = x(note, "h:author")
    problems = check(authors, "author [1..*]")
    for index, author in enumerate(authors):
        problems += check(x(author, "h:time[@value]") and timestamp_ok(x(author, "h:time/@value")[0]), f"author {index}: time")
        problems += professional_problems(one(author, "h:assignedAuthor"), f"author {index}")
    return problems


def rule_vaccinator_among_authors(note):
    vaccinator = x(note, "//h:substanceAdministration/h:performer[@typeCode='PRF']/h:assignedEntity/h:id/@extension")
    authors = x(note, "h:author/h:assignedAuthor/h:id/@extension")
    return check(vaccinator and vaccinator[0] in authors, "the vaccinator is among the document's authors")


def rule_custodian(note):
    ids = x(note, "h:custodian/h:assignedCustodian/h:representedCustodianOrganization/h:id")
    return check(len(ids) == 1 and ids[0].get("root") in ("1.2.250.1.71.4.2.2", "1.2.250.1.213.4.1")
                 and ids[0].get("extension"), "custodian organization id [1..1], IdNat_Struct")


def rule_legal_authenticator(note):
    legal = x(note, "h:legalAuthenticator")
    if len(legal) != 1:
        return ["legalAuthenticator [1..1]"]
    return (check(x(legal[0], "h:time[@value]"), "legalAuthenticator/time")
            + check(x(legal[0], "h:signatureCode[@code='S']"), "signatureCode S")
            + professional_problems(one(legal[0], "h:assignedEntity"), "legalAuthenticator"))


def rule_documentation_of(note):
    events = x(note, "h:documentationOf/h:serviceEvent")
    if not events:
        return ["documentationOf/serviceEvent [1..*]"]
    problems = []
    for event in events:
        problems += check(not x(event, "h:effectiveTime") or x(event, "h:effectiveTime/h:low[@value]"),
                          "serviceEvent/effectiveTime/low")
        performers = x(event, "h:performer")
        problems += check(len(performers) <= 1 and all(p.get("typeCode") == "PRF" for p in performers), "performer PRF")
        problems += check(all(x(p, "h:assignedEntity/h:representedOrganization/h:standardIndustryClassCode[@code]")
                              for p in performers), "performer's standardIndustryClassCode")
    return problems


def rule_component_of(note):
    encounter = x(note, "h:componentOf/h:encompassingEncounter")
    if len(encounter) != 1:
        return ["componentOf [1..1]"]
    return (check(len(x(encounter[0], "h:location")) <= 1, "location [0..1]")
            + check(x(encounter[0], "h:effectiveTime[@value or h:low]"), "encounter effectiveTime")
            + check(all(c.get("code") and c.get("codeSystem") for c in
                        x(encounter[0], "h:location/h:healthCareFacility/h:code")), "healthCareFacility code"))


def rule_section(note):
    sections = x(note, "h:component/h:structuredBody/h:component/h:section")
    if len(sections) != 1:
        return ["one section"]
    section = sections[0]
    roots = x(section, "h:templateId/@root")
    return (check({"1.3.6.1.4.1.19376.1.5.3.1.3.23", "2.16.840.1.113883.10.20.1.6", "1.2.250.1.213.1.1.2.147"} <= set(roots),
                  "FR-Vaccinations section templateIds")
            + check(x(section, "h:code[@code='11369-6' and @codeSystem='2.16.840.1.113883.6.1' and @displayName]"),
                    "section code 11369-6")
            + check(x(section, "h:title") and x(section, "h:text"), "section title and text")
            + check(len(x(section, ".//h:templateId[@root='1.3.6.1.4.1.19376.1.5.3.1.4.12']")) == 1,
                    "one and only one FR-Vaccination entry"))


def vaccination(note):
    return one(note, "//h:substanceAdministration[h:templateId/@root='1.3.6.1.4.1.19376.1.5.3.1.4.12']")


def rule_entry_templates_and_code(note):
    entry = vaccination(note)
    roots = set(x(entry, "h:templateId/@root"))
    product_roots = set(x(entry, "h:consumable/h:manufacturedProduct/h:templateId/@root"))
    return (check({"1.3.6.1.4.1.19376.1.5.3.1.4.12", "2.16.840.1.113883.10.20.1.24", "1.2.250.1.213.1.1.3.45"} <= roots,
                  "FR-Vaccination templateIds")
            + check({"1.3.6.1.4.1.19376.1.5.3.1.4.7.2", "2.16.840.1.113883.10.20.1.53", "1.2.250.1.213.1.1.3.43"}
                    <= product_roots, "FR-Produit-de-sante templateIds")
            + check(entry.get("classCode") == "SBADM" and entry.get("moodCode") == "EVN", "SBADM EVN")
            + check(x(entry, "h:id[@root]"), "entry id")
            + check(x(entry, "h:code[@codeSystem='2.16.840.1.113883.5.4' and @displayName]")
                    and x(entry, "h:code/@code")[0] in IMMUNIZATION_CODES, "entry code in the JDV, with displayName")
            + check(x(entry, "h:statusCode[@code='completed']"), "statusCode completed"))


def rule_negation(note):
    return check(vaccination(note).get("negationInd") in (None, "false"), "negationInd false")


def rule_precise_date(note):
    entry = vaccination(note)
    values = x(entry, "h:effectiveTime/@value")
    return check(len(values) == 1 and len(values[0]) == 8 and timestamp_ok(values[0])
                 and not x(entry, "h:effectiveTime/@nullFlavor"), "effectiveTime AAAAMMJJ")


def rule_cis_code(note):
    codes = x(vaccination(note), "h:consumable/h:manufacturedProduct/h:manufacturedMaterial/h:code")
    return check(codes and codes[0].get("codeSystem") == "1.2.250.1.213.2.3.1"
                 and re.fullmatch(r"\d{8}", codes[0].get("code") or "") and codes[0].get("displayName"),
                 "CIS code with displayName")


def rule_atc_translation(note):
    atc = x(vaccination(note), "h:consumable/h:manufacturedProduct/h:manufacturedMaterial/h:code/"
                               "h:translation[@codeSystem='2.16.840.1.113883.6.73']")
    return check(atc and atc[0].get("displayName") and re.fullmatch(r"J07[A-Z]{2}\d{2}", atc[0].get("code") or ""),
                 "ATC translation with displayName")


def rule_lot(note):
    return check(x(vaccination(note), "h:consumable/h:manufacturedProduct/h:manufacturedMaterial/h:lotNumberText[normalize-space()]"),
                 "lotNumberText")


def rule_entry_author(note):
    authors = x(vaccination(note), "h:author")
    if not authors:
        return ["entry author"]
    return check(x(authors[0], "h:time[@value]"), "entry author time") + \
        professional_problems(one(authors[0], "h:assignedAuthor"), "entry author")


def rule_performer(note):
    problems = []
    for performer in x(vaccination(note), "h:performer"):
        problems += check(performer.get("typeCode") == "PRF", "performer PRF")
        problems += check(not x(performer, "h:assignedEntity/h:code") or
                          x(performer, "h:assignedEntity/h:code[@nullFlavor or @displayName]"),
                          "vaccinator's profession displayName")
        problems += professional_problems(one(performer, "h:assignedEntity"), "performer")
    return problems


def rule_route(note):
    routes = x(vaccination(note), "h:routeCode")
    return check(all(r.get("displayName") and r.get("codeSystem") == "0.4.0.127.0.16.1.1.2.1" and r.get("code") in ROUTES
                     for r in routes), "routeCode in JDV_ImmunizationRouteCodes_CISIS, with displayName")


def rule_site(note):
    sites = x(vaccination(note), "h:approachSiteCode")
    return check(all(s.get("displayName") and s.get("codeSystem") == "2.16.840.1.113883.6.96" and s.get("code") in SITES
                     for s in sites), "approachSiteCode in JDV_ImmunizationApproachSiteCode_CISIS, with displayName")


def rule_dose_number(note):
    problems = []
    for observation in x(vaccination(note), "h:entryRelationship/h:observation[h:templateId/@root='1.2.250.1.213.1.1.3.82']"):
        problems += check(x(observation, "h:statusCode[@code='completed']"), "dose statusCode completed")
        values = x(observation, "h:value")
        problems += check(len(values) == 1 and values[0].get("value") and "INT" in (values[0].get(XSI_TYPE) or ""),
                          "dose value INT with @value")
        problems += check(x(observation, "h:code[@code='30973-2' and @codeSystem='2.16.840.1.113883.6.1']"), "dose code")
    return problems


def narrative_cells(note):
    section = one(note, "//h:section")
    heads = [th.text for th in x(section, "h:text/h:table/h:thead/h:tr/h:th")]
    cells = [td.text for td in x(section, "h:text/h:table/h:tbody/h:tr/h:td")]
    return dict(zip(heads, cells))


def rule_narrative_matches_entry(note):
    entry = vaccination(note)
    problems = []
    reference = (x(entry, "h:text/h:reference/@value") or [""])[0]
    problems += check(reference.startswith("#") and x(note, f"//h:section/h:text//*[@ID='{reference[1:]}']"),
                      "entry text references the narrative")
    code = one(entry, "h:consumable/h:manufacturedProduct/h:manufacturedMaterial/h:code")
    original = (x(code, "h:originalText/h:reference/@value") or [""])[0]
    target = x(note, f"//h:section/h:text//*[@ID='{original[1:]}']") if original.startswith("#") else []
    problems += check(target and target[0].text == code.get("displayName"), "product originalText is the named cell")
    cells = narrative_cells(note)
    date = x(entry, "h:effectiveTime/@value")[0]
    problems += check(cells.get("Date") == f"{date[6:8]}/{date[4:6]}/{date[0:4]}", "narrative date")
    problems += check(cells.get("Code CIS") == code.get("code"), "narrative CIS")
    problems += check(cells.get("Vaccin") == code.get("displayName"), "narrative product")
    atc = one(code, "h:translation")
    problems += check(cells.get("Classe ATC") == f"{atc.get('code')} {atc.get('displayName')}", "narrative ATC")
    problems += check(cells.get("Lot") == x(entry, "h:consumable//h:lotNumberText")[0].text, "narrative lot")
    problems += check(cells.get("Type") == x(entry, "h:code/@displayName")[0], "narrative type")
    for head, path in (("Voie", "h:routeCode/@displayName"), ("Site", "h:approachSiteCode/@displayName"),
                       ("Rang", "h:entryRelationship/h:observation/h:value/@value")):
        coded = x(entry, path)
        problems += check(cells.get(head) == (coded[0] if coded else None), f"narrative {head}")
    name = x(entry, "h:performer/h:assignedEntity/h:assignedPerson/h:name")[0]
    words = [n.text for n in name]
    problems += check(cells.get("Vaccinateur") == " ".join(words), "narrative vaccinator")
    return problems


def set_attr(path, name, value):
    def mutate(note):
        for node in x(note, path):
            node.set(name, value)
    return mutate


def remove(path):
    def mutate(note):
        for node in x(note, path):
            node.getparent().remove(node)
    return mutate


def duplicate(path):
    def mutate(note):
        node = x(note, path)[0]
        node.addnext(copy.deepcopy(node))
    return mutate


def set_text(path, value):
    def mutate(note):
        for node in x(note, path):
            node.text = value
    return mutate


ENTRY = "//h:substanceAdministration"
MATERIAL = ENTRY + "/h:consumable/h:manufacturedProduct/h:manufacturedMaterial"
RULES = {
    "realm-and-type": (rule_realm_and_type, set_attr("/h:ClinicalDocument/h:realmCode", "code", "DE")),
    "document-templates": (rule_document_templates, remove("/h:ClinicalDocument/h:templateId[@root='1.2.250.1.213.1.1.1.46']")),
    "document-templates-twice": (rule_document_templates, duplicate("/h:ClinicalDocument/h:templateId[@root='1.2.250.1.213.1.1.1.46']")),
    "document-code": (rule_document_code, set_attr("/h:ClinicalDocument/h:code", "code", "11369-6")),
    "document-id-and-versions": (rule_document_id_and_versions, set_attr("/h:ClinicalDocument/h:id", "root", "not an oid")),
    "effective-time": (rule_effective_time, set_attr("/h:ClinicalDocument/h:effectiveTime", "value", "20261330101500+0100")),
    "confidentiality-and-language": (rule_confidentiality_and_language,
                                     set_attr("/h:ClinicalDocument/h:confidentialityCode", "code", "X")),
    "record-target": (rule_record_target, set_attr("//h:patient/h:name/h:family", "qualifier", "SP")),
    "record-target-two-names": (rule_record_target, duplicate("//h:patient/h:name")),
    "ins-traits": (rule_ins_traits, remove("//h:patient/h:administrativeGenderCode")),
    "ins-key": (rule_ins_traits, set_attr("//h:patientRole/h:id[@root='1.2.250.1.213.1.4.10']", "extension",
                                          VALID_INS[:13] + "%02d" % ((int(VALID_INS[13:]) + 1) % 100))),
    "document-authors": (rule_document_authors, set_attr("/h:ClinicalDocument/h:author/h:assignedAuthor/h:id",
                                                         "extension", "10001234567")),
    "document-authors-name": (rule_document_authors, remove("/h:ClinicalDocument/h:author/h:assignedAuthor/"
                                                            "h:assignedPerson/h:name/h:family")),
    "vaccinator-among-authors": (rule_vaccinator_among_authors,
                                 remove("/h:ClinicalDocument/h:author[h:assignedAuthor/h:id/@extension='8"
                                        + NURSE["rpps"] + "']")),
    "custodian": (rule_custodian, set_attr("//h:representedCustodianOrganization/h:id", "root", "1.2.3")),
    "legal-authenticator": (rule_legal_authenticator, set_attr("//h:legalAuthenticator/h:signatureCode", "code", "X")),
    "documentation-of": (rule_documentation_of, remove("//h:serviceEvent/h:performer//h:standardIndustryClassCode")),
    "component-of": (rule_component_of, remove("/h:ClinicalDocument/h:componentOf")),
    "section": (rule_section, set_attr("//h:section/h:code", "code", "10160-0")),
    "section-one-entry": (rule_section, duplicate("//h:section/h:entry")),
    "entry-templates-and-code": (rule_entry_templates_and_code, set_attr(ENTRY + "/h:code", "code", "VACCIN")),
    "negation": (rule_negation, set_attr(ENTRY, "negationInd", "true")),
    "precise-date": (rule_precise_date, set_attr(ENTRY + "/h:effectiveTime", "value", "202611")),
    "cis-code": (rule_cis_code, set_attr(MATERIAL + "/h:code", "codeSystem", "2.16.840.1.113883.6.73")),
    "cis-display": (rule_cis_code, lambda note: x(note, MATERIAL + "/h:code")[0].attrib.pop("displayName")),
    "atc-translation": (rule_atc_translation, remove(MATERIAL + "/h:code/h:translation")),
    "atc-display": (rule_atc_translation, lambda note: x(note, MATERIAL + "/h:code/h:translation")[0].attrib.pop("displayName")),
    "lot": (rule_lot, remove(MATERIAL + "/h:lotNumberText")),
    "entry-author": (rule_entry_author, remove(ENTRY + "/h:author")),
    "entry-author-profession": (rule_entry_author,
                                lambda note: x(note, ENTRY + "/h:author/h:assignedAuthor/h:code")[0].attrib.pop("displayName")),
    "performer": (rule_performer, lambda note: x(note, ENTRY + "/h:performer/h:assignedEntity/h:code")[0].attrib.pop("displayName")),
    "route": (rule_route, set_attr(ENTRY + "/h:routeCode", "code", "20049000")),
    "site": (rule_site, set_attr(ENTRY + "/h:approachSiteCode", "code", "368208006")),
    "dose-number": (rule_dose_number, set_attr(ENTRY + "//h:observation/h:value", XSI_TYPE, "ST")),
    "narrative-matches-entry": (rule_narrative_matches_entry, set_attr(MATERIAL + "/h:code", "code", "60000000")),
    "narrative-lot": (rule_narrative_matches_entry, set_text(MATERIAL + "/h:lotNumberText", "AUTRE-LOT")),
    "narrative-reference": (rule_narrative_matches_entry, set_attr(ENTRY + "/h:text/h:reference", "value", "#nowhere")),
}


@pytest.mark.parametrize("rule", sorted(RULES))
def test_rule(notes, rule):
    check_rule, mutate = RULES[rule]
    for host_id, note in notes.items():
        assert check_rule(note) == [], (host_id, check_rule(note))
    # The same rule must report a note broken on its point.
    broken = copy.deepcopy(notes["v-hexyon"])
    mutate(broken)
    assert check_rule(broken), f"rule {rule} did not see the mutation"


# --- Round trip --------------------------------------------------------------------------------

def coded_content(note):
    entry = vaccination(note)
    code = one(entry, "h:consumable/h:manufacturedProduct/h:manufacturedMaterial/h:code")
    date = x(entry, "h:effectiveTime/@value")[0]
    dose = x(entry, "h:entryRelationship/h:observation/h:value/@value")
    return {
        "date": f"{date[0:4]}-{date[4:6]}-{date[6:8]}", "cis": code.get("code"), "name": code.get("displayName"),
        "atc": x(code, "h:translation/@code")[0],
        "lot": x(entry, "h:consumable//h:lotNumberText")[0].text,
        "route": (x(entry, "h:routeCode/@code") or [None])[0],
        "site": (x(entry, "h:approachSiteCode/@code") or [None])[0],
        "dose": int(dose[0]) if dose else None,
        "performer": x(entry, "h:performer/h:assignedEntity/h:id/@extension")[0],
    }


def test_the_coded_content_is_the_recorded_immunization(recorded, notes):
    assert len(notes) == len(PRODUCTS) >= 5
    for host_id, cis, route, site, dose in PRODUCTS:
        recorded_doc = recorded.documents[host_id]
        source = catalogue_line(cis)
        assert coded_content(notes[host_id]) == {
            "date": recorded_doc["occurrenceDateTime"], "cis": cis,
            "name": recorded.vaccines_search(cis)["expansion"]["contains"][0]["display"],
            "atc": source["atc"], "lot": recorded_doc["lotNumber"],
            "route": EXPECTED_ROUTE.get(host_id), "site": EXPECTED_SITE.get(host_id), "dose": dose,
            "performer": recorded_doc["performer"][0]["actor"]["identifier"]["value"],
        }, host_id


def test_every_value_is_escaped(recorded, notes):
    # The lot has & < > " ' in it; names from the host too.
    note = notes["v-hexyon"]
    assert x(note, "//h:lotNumberText")[0].text == "LOT-<&>\"'1"
    hostile = context(patient__birth_family_name="O'Brien <b>&amp;</b> \"X\"", structure__name="A & B <C>")
    parsed = etree.fromstring(recorded.vaccination_dmp_note("patient", "v-hexyon", hostile).encode())
    assert x(parsed, "//h:patient/h:name/h:family[@qualifier='BR']")[0].text == "O'Brien <b>&amp;</b> \"X\""
    assert x(parsed, "//h:representedCustodianOrganization/h:name")[0].text == "A & B <C>"
    assert structure_problems(parsed) == []


# --- Identity, authors, errors -----------------------------------------------------------------

def test_the_ins_is_written_only_when_qualified(recorded):
    qualified = etree.fromstring(recorded.vaccination_dmp_note("patient", "v-grippe", context()).encode())
    ids = [(i.get("root"), i.get("extension")) for i in x(qualified, "//h:patientRole/h:id")]
    assert ids == [("1.2.250.1.213.1.4.10", VALID_INS), ("1.2.250.1.999.3", "IPP-42")]
    unqualified = etree.fromstring(recorded.vaccination_dmp_note(
        "patient", "v-grippe", context(patient__ins={"value": VALID_INS, "oid": "1.2.250.1.213.1.4.10",
                                                     "qualified": False})).encode())
    ids = [(i.get("root"), i.get("extension")) for i in x(unqualified, "//h:patientRole/h:id")]
    assert ids == [("1.2.250.1.999.3", "IPP-42")]
    assert VALID_INS not in etree.tostring(unqualified).decode()
    assert rule_record_target(unqualified) == [] and rule_ins_traits(unqualified) == []


def test_one_author_when_the_author_vaccinated(recorded):
    doc = immunization("v-self", "60645557", performer=False)
    assert recorded.vaccination_add("patient", doc)[0] == C["CARNET_OK"]
    note = etree.fromstring(recorded.vaccination_dmp_note("patient", "v-self", context(vaccinator=AUTHOR)).encode())
    assert x(note, "/h:ClinicalDocument/h:author/h:assignedAuthor/h:id/@extension") == ["8" + AUTHOR["rpps"]]
    assert rule_vaccinator_among_authors(note) == []


def test_a_replacing_version_points_to_the_replaced_document(recorded):
    note = etree.fromstring(recorded.vaccination_dmp_note("patient", "v-grippe", context(
        document__version=2, document__replaces={"root": "1.2.250.1.999.1.1", "extension": "NOTE-1"},
        document__id={"root": "1.2.250.1.999.1.1", "extension": "NOTE-2"})).encode())
    assert x(note, "h:versionNumber/@value") == ["2"]
    assert x(note, "h:relatedDocument[@typeCode='RPLC']/h:parentDocument/h:id/@extension") == ["NOTE-1"]
    assert structure_problems(note) == []


@pytest.mark.parametrize("changes, field", [
    ({"document": DELETE}, "document.version"),
    ({"document__id": DELETE}, "document.id"),
    ({"document__id__root": "pas-un-oid"}, "document.id.root"),
    ({"document__effective_time": "2026-11-30"}, "document.effective_time"),
    ({"document__version": 0}, "document.version"),
    ({"document__confidentiality": "secret"}, "document.confidentiality"),
    ({"patient__ins__value": VALID_INS[:13] + "00"}, "patient.ins.value"),
    ({"patient__ins__oid": "1.2.250.1.213.1.4.2"}, "patient.ins.oid"),
    ({"patient__ins__qualified": DELETE}, "patient.ins.qualified"),
    ({"patient__ins": DELETE, "patient__local_id": DELETE}, "patient.local_id"),
    ({"patient__birth_family_name": "  "}, "patient.birth_family_name"),
    ({"patient__first_birth_given_name": DELETE}, "patient.first_birth_given_name"),
    ({"patient__birth_date": "12/03/1979"}, "patient.birth_date"),
    ({"patient__gender": "female"}, "patient.gender"),
    ({"author__rpps": "1234"}, "author.rpps"),
    ({"author__profession": DELETE}, "author.profession"),
    ({"author__profession": {"code": "10", "system": "TRE_G15", "display": "Médecin"}}, "author.profession.system"),
    ({"author__prefix": "Docteur"}, "author.prefix"),
    ({"vaccinator": DELETE}, "vaccinator"),
    ({"vaccinator__family_name": "a\u0007b"}, "vaccinator.family_name"),
    ({"structure__id": "31 23"}, "structure.id"),
    ({"structure__practice_setting": DELETE}, "structure.practice_setting"),
    ({"immunization_type": "RAPPEL"}, "immunization_type"),
])
def test_missing_or_malformed_host_data_names_the_field(recorded, changes, field):
    with pytest.raises(CarnetFailure) as failure:
        recorded.vaccination_dmp_note("patient", "v-grippe", context(**changes))
    assert failure.value.status == C["CARNET_E_INVALID_ARGUMENT"]
    assert failure.value.field == field
    assert f"« {field} »" in failure.value.message and "note de vaccination" in failure.value.message
    # No value the host passed is quoted back.
    assert VALID_INS not in failure.value.message and "Durand" not in failure.value.message


@pytest.mark.parametrize("host_id, document_changes, field", [
    ("v-nolot", {"lotNumber": None}, "lotNumber"),
    ("v-badroute", {"route": {"coding": [{"system": EDQM, "code": "20049000"}]}}, "route.coding"),
    ("v-badsite", {"site": {"coding": [{"system": SNOMED, "code": "368208006"}]}}, "site.coding"),
    ("v-otherperformer", {"performer": [{"actor": {"identifier": {"system": "urn:oid:1.2.250.1.71.4.2.1",
                                                                  "value": "810000000001"}}}]}, "vaccinator.rpps"),
])
def test_a_vaccination_the_note_cannot_carry_is_refused_naming_the_element(recorded, host_id, document_changes, field):
    doc = immunization(host_id, "62189757")
    for key, value in document_changes.items():
        if value is None:
            doc.pop(key)
        else:
            doc[key] = value
    assert recorded.vaccination_add("patient", doc)[0] == C["CARNET_OK"]
    with pytest.raises(CarnetFailure) as failure:
        recorded.vaccination_dmp_note("patient", host_id, context())
    assert failure.value.status == C["CARNET_E_INVALID_ARGUMENT"]
    assert failure.value.field == field


def test_a_product_without_a_known_atc_code_is_refused(recorded):
    doc = immunization("v-grippe-sans-atc", "61402736", atc=False)
    assert recorded.vaccination_add("patient", doc)[0] == C["CARNET_OK"]
    with pytest.raises(CarnetFailure) as failure:
        recorded.vaccination_dmp_note("patient", "v-grippe-sans-atc", context())
    assert failure.value.status == C["CARNET_E_INVALID_ARGUMENT"]
    assert failure.value.field == "vaccineCode.coding" and "ATC" in failure.value.message


def test_an_unknown_or_removed_vaccination_is_not_found(recorded):
    with pytest.raises(CarnetFailure) as unknown:
        recorded.vaccination_dmp_note("patient", "never-recorded", context())
    assert unknown.value.status == C["CARNET_E_NOT_FOUND"]
    with pytest.raises(CarnetFailure) as other_patient:
        recorded.vaccination_dmp_note("someone-else", "v-hexyon", context())
    assert other_patient.value.status == C["CARNET_E_NOT_FOUND"]
    doc = immunization("v-removed", "62189757")
    assert recorded.vaccination_add("patient", doc)[0] == C["CARNET_OK"]
    assert recorded.vaccination_dmp_note("patient", "v-removed", context())
    recorded.vaccination_remove("patient", "v-removed")
    with pytest.raises(CarnetFailure) as removed:
        recorded.vaccination_dmp_note("patient", "v-removed", context())
    assert removed.value.status == C["CARNET_E_NOT_FOUND"]


def test_the_same_inputs_give_the_same_document(recorded):
    first = recorded.vaccination_dmp_note("patient", "v-ror", context())
    assert recorded.vaccination_dmp_note("patient", "v-ror", json.dumps(context())) == first
