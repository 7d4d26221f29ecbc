"""The vendor example host (examples-c/carnet_example.c) walks the guide against a real sandbox
with a patient whose name needs escaping in JSON (quotes, a backslash, accents): its documents are
built with cJSON, so the carnet and the DMP note carry the name as typed, and the walk ends cleanly."""
import os
import subprocess
from xml.etree import ElementTree

EXAMPLE = os.environ.get("CARNET_EXAMPLE") or os.path.join(
    os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__)))), "build", "bin", "carnet-example")
FAMILY = 'O"Brien \\ de Saint-Étienne'
GIVEN = "Zoé"


def test_the_example_walk_escapes_what_the_doctor_typed(sandbox, tmp_path):
    store = tmp_path / "ehr"
    store.mkdir()
    (store / "patients.txt").write_text(
        f"P0001|{FAMILY}|{GIVEN}|1950-04-02|female|zoe.obrien@example.org\n"
        "P0002|DURAND|Ambroise|2012-01-09|male|famille.durand@example.org\n", encoding="utf-8")
    professional = sandbox.create_professional(name="Dr Claire Martin")
    family = sandbox.create_ten_carnet_citizen("famille.durand@example.org")
    sandbox.add_vaccination(family.carnet("Ambroise")["id"], cis="61921204", date="2024-10-15")
    done = subprocess.run(
        [EXAMPLE, "--store", str(store), "--service", sandbox.base_url, "--enroll-url", sandbox.enrollment_url,
         "--ca", sandbox.ca_cert, "--email", professional.email, "--secret", "secret-du-poste",
         "--script", "--withdrawal-code", professional.withdrawal_code, "--share-code", family.share_code,
         "--claim-pseudonym", "Ambroise", "--claim-birth-date", "2012-01-09"],
        capture_output=True, timeout=120)
    out = done.stdout.decode("utf-8")
    assert done.returncode == 0, out + done.stderr.decode("utf-8", "replace")
    # The service's answer carries the name exactly as typed: the request JSON was escaped.
    assert f"Carnet créé pour {GIVEN} {FAMILY} (UUID " in out, out
    assert "Accès accordé : le carnet est associé à Ambroise DURAND." in out
    assert "[x] 2024-10-15" in out and "1 vaccin(s) exporté(s)" in out, out
    assert "Ajouté au carnet partagé (Immunization " in out
    # The correction step: the mistyped lot reaches the carnet as version 2, and the DMP note has it.
    assert "Corrigée dans le carnet partagé (version 2)." in out, out
    assert "AGRIPPAL (CIS 61921204), lot A1234, à utiliser avant le 2028-12-31" in out, out
    assert "1441 produits" in out and "CC-BY 4.0" in out, out
    assert "Envoyés : 0 ; nouveaux vaccins à importer : aucun" in out
    assert "  !! " not in out, out  # no step failed
    # The DMP note's context was built with cJSON too: the patient's name reaches the CDA as typed.
    assert "Note enregistrée : " in out, out
    note = ElementTree.fromstring((store / "VAC-0002.dmp-note.xml").read_bytes())
    assert FAMILY in "".join(note.itertext()) and GIVEN in "".join(note.itertext())
    assert "B5678" in "".join(note.itertext()), "the note carries the corrected lot"
    assert out.rstrip().endswith("Client fermé.") and "Parcours du guide terminé." in out
