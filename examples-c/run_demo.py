#!/usr/bin/env python3
"""`make demo`: the whole user guide, end to end, for real.

Starts a fresh carnet-sandbox in a temporary directory (its own CA, mutual
TLS), creates a professional account and its withdrawal code, plays a family
with ten carnets on the citizen side (so there is a share code to type), then
runs the example host program's scripted walk and prints its transcript.
"""
import os
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(os.path.dirname(HERE), "Tests", "support"))

from sandbox_process import Sandbox  # noqa: E402


def main():
    example = os.environ.get("CARNET_EXAMPLE") or os.path.join(os.path.dirname(HERE), "build", "bin", "carnet-example")
    with tempfile.TemporaryDirectory(prefix="carnet-demo-") as tmp, Sandbox(os.path.join(tmp, "sandbox")) as sandbox:
        print(f"Bac à sable CVE démarré : {sandbox.base_url} (TLS mutuel), inscription : {sandbox.enrollment_url}")
        professional = sandbox.create_professional(name="Dr Claire Martin")
        print(f"Compte professionnel créé : {professional.email} ; code de retrait remis par le service.")
        family = sandbox.create_ten_carnet_citizen("famille.durand@example.org")
        ambroise = family.carnet("Ambroise")
        sandbox.add_vaccination(ambroise["id"], cis="61921204", date="2024-10-15")
        print("Côté patient : une famille de dix carnets, un vaccin déjà saisi en ligne ; code de partage reçu par email.")
        print("-" * 78)
        command = [example, "--store", os.path.join(tmp, "ehr"), "--service", sandbox.base_url,
                   "--enroll-url", sandbox.enrollment_url, "--ca", sandbox.ca_cert,
                   "--email", professional.email, "--secret", "secret-du-poste-de-travail",
                   "--script", "--withdrawal-code", professional.withdrawal_code,
                   "--share-code", family.share_code, "--claim-pseudonym", "Ambroise",
                   "--claim-birth-date", "2012-01-09"]
        result = subprocess.run(command, text=True)
        print("-" * 78)
        emails = sandbox.outbox()
        print(f"Emails envoyés par le service pendant la démonstration : {len(emails)}")
        return result.returncode


if __name__ == "__main__":
    sys.exit(main())
