#!/usr/bin/env python3
"""Check the hand-made list's ATC codes and "marketed in France" flags against a NUVA release.

    python3 scripts/compare_hand_made_list.py ../shared/data/nuva

The hand-made list (Sources/CarnetCatalogue/Catalogue/BuiltInCatalogue.swift) was written from
memory for its ATC codes and `marketed` flags; NUVA gives an ATC alignment (Release/Alignments/ATC)
and, as its only market signal, whether a concrete product has a CIS code. Prints one Markdown
table row per disagreement, for docs/catalogue.md ("Hand-made list against NUVA"), where each
row gets its decision. Python 3 standard library only; reuses scripts/nuva_snapshot.py.
"""
import os
import re
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import nuva_snapshot  # noqa: E402

HERE = os.path.dirname(os.path.abspath(__file__))
BUILT_IN = os.path.join(HERE, "..", "Sources", "CarnetCatalogue", "Catalogue", "BuiltInCatalogue.swift")
CURATION = os.path.join(HERE, "..", "Sources", "CarnetCatalogue", "Catalogue", "FrenchMarketCuration.swift")


def hand_made():
    products = []
    with open(BUILT_IN, encoding="utf-8") as f:
        for line in f:
            if not line.startswith("product "):
                continue
            fields = [part.strip() for part in line[len("product "):].split("|")]
            record = {"name": fields[0]}
            for field in fields[1:]:
                key, _, value = field.partition(" ")
                record[key] = value.strip()
            products.append(record)
    return products


def curated():
    with open(CURATION, encoding="utf-8") as f:
        return {m.group(1): m.group(2) == "true" for m in re.finditer(r'"(VAC\d+)": (true|false)', f.read())}


def main(directory):
    release = {p[0]: p for p in nuva_snapshot.derive(directory)["products"]}
    curation = curated()
    rows = []
    for product in hand_made():
        code = product.get("nuva", "")
        nuva = release.get(code)
        if nuva is None:
            rows.append((product["name"], code, "not in the release", "", ""))
            continue
        _, flags, _, _, _, cis, _, atc, _ = nuva
        hand_atc = product.get("atc", "")
        release_atc = atc[0] if atc else ""
        if hand_atc != release_atc:
            rows.append((product["name"], code, "ATC", hand_atc or "—", release_atc or "— (no alignment)"))
        hand_marketed = product.get("marketed") == "yes"
        release_marketed = "m" in flags  # NUVA's signal: a concrete product with a CIS
        if hand_marketed != release_marketed:
            kept = curation.get(code)
            decided = "—" if kept is None else ("yes" if kept else "no") + " (FrenchMarketCuration)"
            rows.append((product["name"], code, "marketed", "yes" if hand_marketed else "no",
                         ("yes" if release_marketed else "no") + "; in use: " + decided))
    print("| product | NUVA | field | hand-made list | release |")
    print("|---|---|---|---|---|")
    for row in rows:
        print("| " + " | ".join(row) + " |")
    print(f"\n{len(rows)} disagreement(s) over {len(hand_made())} products", file=sys.stderr)


if __name__ == "__main__":
    if len(sys.argv) != 2:
        sys.exit(__doc__)
    main(sys.argv[1])
