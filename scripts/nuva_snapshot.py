#!/usr/bin/env python3
"""Derive Carnet's compact catalogue snapshot from a NUVA release directory.

    python3 scripts/nuva_snapshot.py ../shared/data/nuva
    python3 scripts/nuva_snapshot.py ../shared/data/nuva --text /tmp/snapshot.txt   # the text only

Writes Sources/CarnetCatalogue/Snapshot/NUVASnapshotData.swift: one raw string literal in the
"carnet-catalogue 1" line format that `CatalogueSnapshot` parses at first use (docs/catalogue.md,
"Snapshot format"). The Swift importer (`VaccineCatalogue.importNUVA`) derives the same records
from the same files, and a test proves that `serialized()` of a fresh import equals this text:
keep the two derivations in step.

NUVA (International Vaccine Codes Initiative) is CC-BY 4.0: the snapshot carries the attribution,
and the raw release files are never copied into the repository. Python 3 standard library only.
"""

import csv
import os
import re
import sys

FORMAT_HEADER = "carnet-catalogue\t1"
SOURCE = "NUVA, International Vaccine Codes Initiative (https://ivci.org/nuva)"
ATTRIBUTION = "NUVA, International Vaccine Codes Initiative, CC-BY 4.0 (https://creativecommons.org/licenses/by/4.0/)"
LICENSE = "CC-BY-4.0"


class ReleaseError(Exception):
    """A malformed release: always names the file."""

    def __init__(self, path, message):
        super().__init__(f"{path}: {message}")


# ---------------------------------------------------------------------------------------------
# The YAML subset NUVA uses (block mappings and lists, plain and quoted scalars over several
# lines, comments, [] and {}). Same subset as Sources/CarnetCatalogue/YAML/YAMLReader.swift.

def _indent(line):
    return len(line) - len(line.lstrip(" "))


def _strip_comment(text):
    # A comment starts with " #" outside quotes (NUVA scalars never contain one unquoted).
    if text.startswith("#"):
        return ""
    quote = None
    for i, c in enumerate(text):
        if quote:
            if c == quote:
                quote = None
        elif c in "'\"" and (i == 0 or text[i - 1] in " :-"):
            quote = c
        elif c == "#" and i > 0 and text[i - 1] == " ":
            return text[:i].rstrip()
    return text


class _Yaml:
    def __init__(self, path, text):
        self.path = path
        self.lines = [l.rstrip("\r") for l in text.split("\n")]
        if any("\t" in l[: _indent(l) + 1] for l in self.lines if l.strip()):
            raise ReleaseError(path, "tab in indentation")
        self.i = 0

    def fail(self, message):
        raise ReleaseError(self.path, f"line {self.i + 1}: {message}")

    def skip_blank(self):
        while self.i < len(self.lines):
            s = self.lines[self.i].strip()
            if s and not s.startswith("#"):
                return True
            self.i += 1
        return False

    def parse(self):
        if not self.skip_blank():
            return None
        node = self.block(_indent(self.lines[self.i]))
        if self.skip_blank():
            self.fail("unexpected content")
        return node

    def block(self, indent):
        line = self.lines[self.i]
        if line[indent:].startswith("- ") or line[indent:] == "-":
            return self.sequence(indent)
        return self.mapping(indent)

    def sequence(self, indent):
        out = []
        while self.skip_blank():
            line = self.lines[self.i]
            if _indent(line) != indent or not (line[indent:].startswith("- ") or line[indent:] == "-"):
                break
            rest = line[indent + 2:].strip()
            if not rest:
                self.fail("nested block in a list item")
            out.append(self.scalar(rest, indent))
        return out

    def mapping(self, indent):
        out = {}
        while self.skip_blank():
            line = self.lines[self.i]
            ind = _indent(line)
            if ind < indent:
                break
            if ind > indent:
                self.fail("unexpected indentation")
            body = _strip_comment(line[indent:])
            m = re.match(r"^([^:'\"]+):(?: (.*))?$", body)
            if not m:
                self.fail("expected 'key: value'")
            key, rest = m.group(1).strip(), (m.group(2) or "").strip()
            if key in out:
                self.fail(f"duplicate key {key}")
            if rest:
                out[key] = self.scalar(rest, indent)
                continue
            self.i += 1
            if self.skip_blank():
                nxt = self.lines[self.i]
                nind = _indent(nxt)
                if nind > indent or (nind == indent and (nxt[nind:].startswith("- ") or nxt[nind:] == "-")):
                    out[key] = self.block(nind)
                    continue
            out[key] = None
        return out

    def scalar(self, first, indent):
        """A scalar starting on the current line, continued on deeper lines; advances self.i."""
        if first == "[]":
            self.i += 1
            return []
        if first == "{}":
            self.i += 1
            return {}
        if first[0] in "[{&*!|>":
            self.fail("unsupported YAML (flow collection, anchor, tag or block scalar)")
        parts = [first]
        self.i += 1
        if first[0] in "'\"":
            q = first[0]
            text = " ".join(parts)
            while not self._closed(text, q):
                if self.i >= len(self.lines):
                    self.fail("unterminated quoted scalar")
                parts.append(self.lines[self.i].strip())
                self.i += 1
                text = " ".join(p for p in parts if p != "") if len(parts) > 1 else parts[0]
            return self._unquote(text, q)
        while self.i < len(self.lines):
            line = self.lines[self.i]
            if line.strip() and (_indent(line) <= indent or line.strip().startswith("#")):
                break
            if line.strip():
                parts.append(line.strip())
            self.i += 1
        return _strip_comment(" ".join(parts)).strip()

    @staticmethod
    def _closed(text, q):
        body = text[1:]
        i = 0
        while i < len(body):
            c = body[i]
            if q == '"' and c == "\\":
                i += 2
                continue
            if c == q:
                if q == "'" and i + 1 < len(body) and body[i + 1] == "'":
                    i += 2
                    continue
                return body[i + 1:].strip() == "" or body[i + 1:].strip().startswith("#")
            i += 1
        return False

    def _unquote(self, text, q):
        body = text[1:text.rindex(q)]
        if q == "'":
            return body.replace("''", "'")
        out, i = [], 0
        escapes = {"\\": "\\", '"': '"', "n": "\n", "t": "\t", "/": "/", " ": " "}
        while i < len(body):
            c = body[i]
            if c == "\\" and i + 1 < len(body):
                nxt = body[i + 1]
                if nxt not in escapes:
                    self.fail(f"unsupported escape \\{nxt}")
                out.append(escapes[nxt])
                i += 2
                continue
            out.append(c)
            i += 1
        return "".join(out)


def load_yaml(path):
    try:
        with open(path, "rb") as f:
            raw = f.read()
    except OSError as e:
        raise ReleaseError(path, f"unreadable ({e.strerror})")
    if raw.startswith(b"\xef\xbb\xbf"):
        raw = raw[3:]
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        raise ReleaseError(path, "not valid UTF-8")
    return _Yaml(path, text).parse()


def read_csv(path):
    try:
        with open(path, encoding="utf-8-sig", newline="") as f:
            return list(csv.DictReader(f))
    except OSError as e:
        raise ReleaseError(path, f"unreadable ({e.strerror})")


# ---------------------------------------------------------------------------------------------
# Derivation (mirrors Sources/CarnetCatalogue/Catalogue/NUVAImport.swift)

def clean(text):
    """One line of text: tabs, newlines and runs of spaces become one space."""
    return " ".join(str(text).split())


def units(directory, kind):
    folder = os.path.join(directory, "Units", kind)
    try:
        names = sorted(os.listdir(folder))
    except OSError as e:
        raise ReleaseError(folder, f"unreadable ({e.strerror})")
    out = [(n[:-4], os.path.join(folder, n)) for n in names if n.endswith(".yml")]
    if not out:
        raise ReleaseError(folder, "no entries")
    return out


def text_field(node, key, path, required=True):
    if not isinstance(node, dict):
        raise ReleaseError(path, "file is not a mapping")
    value = node.get(key)
    if value is None or value == "":
        if required:
            raise ReleaseError(path, f"field '{key}': missing")
        return None
    if not isinstance(value, str):
        raise ReleaseError(path, f"field '{key}': expected text")
    return value


def best_alignment(directory, system):
    """NUVA code -> [codes] of the alignment's best rows (ATC, CVX), in file order."""
    path = os.path.join(directory, "Release", "Alignments", system, f"nuva2{system}.csv")
    out = {}
    if not os.path.exists(path):  # optional: the unit files' own codes are used alone
        return out
    for row in read_csv(path):
        nuva, code, best = row.get("NUVA"), row.get(system), row.get("Best")
        if not nuva:
            raise ReleaseError(path, "row without a NUVA code")
        if not code or best != "True":  # a vaccine NUVA could not align has an empty row
            continue
        code = code[len(system) + 1:] if code.startswith(system + "-") else code
        codes = out.setdefault(nuva, [])
        if code not in codes:
            codes.append(code)
    return out


def release_info(directory):
    path = os.path.join(directory, "Units", "import.txt")
    if not os.path.exists(path):  # optional: a release without it is "unknown"
        return "unknown", ""
    try:
        with open(path, encoding="utf-8") as f:
            line = f.readline()
    except OSError as e:
        raise ReleaseError(path, f"unreadable ({e.strerror})")
    m = re.match(r"Imported version (\S+) at (\d{4}-\d{2}-\d{2})", line)
    if not m:
        raise ReleaseError(path, "expected 'Imported version <version> at <yyyy-mm-dd> ...'")
    return m.group(1), m.group(2)


def derive(directory):
    version, date = release_info(directory)
    tr_path = os.path.join(directory, "Translations", "nuva_fr.yml")
    tr = load_yaml(tr_path)
    fr = tr.get("fr") if isinstance(tr, dict) else None
    if not isinstance(fr, dict):
        raise ReleaseError(tr_path, "field 'fr': missing mapping")
    fr_disease = fr.get("disease") or {}
    fr_vaccine = fr.get("vaccine") or {}
    fr_valence = fr.get("valence") or {}

    diseases = {}
    for code, path in units(directory, "Targets"):
        node = load_yaml(path)
        diseases[code] = clean(fr_disease.get(code + "L") or text_field(node, "label", path))

    raw_valences = {}
    for code, path in units(directory, "Valences"):
        node = load_yaml(path)
        label = text_field(node, "label", path)
        target = text_field(node, "target", path, required=False)
        if target is not None and target not in diseases:
            raise ReleaseError(path, f"unknown reference {target}")
        raw_valences[code] = dict(path=path, label=label, shorthand=text_field(node, "shorthand", path, False) or "",
                                  parent=text_field(node, "parent", path, False), target=target)
    valences = {}
    for code, raw in sorted(raw_valences.items()):
        target, cursor, steps = raw["target"], raw["parent"], 0
        while target is None and cursor in raw_valences and steps < 64:
            target, cursor, steps = raw_valences[cursor]["target"], raw_valences[cursor]["parent"], steps + 1
        if target is None:
            raise ReleaseError(raw["path"], "field 'target': no target disease, even through its parents")
        valences[code] = (clean(raw["shorthand"]), target, clean(fr_valence.get(code + "L") or raw["label"]))

    atc_best = best_alignment(directory, "ATC")
    cvx_best = best_alignment(directory, "CVX")

    products = []
    for code, path in units(directory, "Vaccines"):
        node = load_yaml(path)
        label = clean(text_field(node, "label", path))
        abstract = text_field(node, "abstract", path, required=False) or "false"
        if abstract not in ("true", "false"):
            raise ReleaseError(path, "field 'abstract': expected true or false")
        is_abstract = abstract == "true"
        codes = node.get("codes") or {}
        if not isinstance(codes, dict):
            raise ReleaseError(path, "field 'codes': expected a mapping")

        def code_list(system):
            value = codes.get(system)
            if value is None:
                return []
            if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
                raise ReleaseError(path, f"field 'codes.{system}': expected a list of codes")
            return [clean(v) for v in value]

        cis = code_list("CIS")
        cip = [c for c in code_list("CIP") if len(c) == 13]
        atc = code_list("ATC")[:1] or atc_best.get(code, [])[:1]
        cvx = sorted(set(code_list("CVX")) | set(cvx_best.get(code, [])), key=lambda c: (len(c), c))
        vals = node.get("valences")
        if not isinstance(vals, list) or not all(isinstance(v, str) for v in vals):
            raise ReleaseError(path, "field 'valences': missing or not a list")
        for v in vals:
            if v not in valences:
                raise ReleaseError(path, f"unknown reference {v}")
        french = fr_vaccine.get(code + "L")
        name = clean(french) if (is_abstract and french) else label
        alternates = [label] if name != label else []
        # NUVA's only French-market signal: a concrete product with a CIS code (a BDPM entry).
        marketed = not is_abstract and bool(cis)
        flags = ("a" if is_abstract else "") + ("m" if marketed else "")
        products.append((code, flags or "-", name, alternates, vals, cis, cip, atc, cvx))
    return dict(version=version, date=date, diseases=diseases, valences=valences, products=products)


def field(text):
    if "\t" in text or "\n" in text:
        raise ValueError(f"unclean field {text!r}")
    return text


def snapshot_text(d):
    lines = [FORMAT_HEADER,
             f"info\tversion\t{d['version']}",
             f"info\tdate\t{d['date']}",
             f"info\tsource\t{SOURCE}",
             f"info\tattribution\t{ATTRIBUTION}",
             f"info\tlicense\t{LICENSE}"]
    for code in sorted(d["diseases"]):
        lines.append(f"D\t{code}\t{field(d['diseases'][code])}")
    for code in sorted(d["valences"]):
        shorthand, target, label = d["valences"][code]
        lines.append(f"V\t{code}\t{field(shorthand)}\t{target}\t{field(label)}")
    for code, flags, name, alternates, vals, cis, cip, atc, cvx in d["products"]:
        if any("|" in a for a in alternates):
            raise ValueError(f"'|' in an alternate name of {code}")
        lines.append("\t".join(["P", code, flags, field(name), field("|".join(alternates)), " ".join(vals),
                                " ".join(cis), " ".join(cip), " ".join(atc), " ".join(cvx)]))
    lines.append(f"end\t{len(d['products'])}")  # a truncated text is refused, not read short
    return "\n".join(lines) + "\n"


def swift_source(text, d):
    if '"""#' in text:
        raise ValueError("the snapshot text cannot hold '\"\"\"#'")
    return (
        "// GENERATED by scripts/nuva_snapshot.py from the NUVA release "
        f"{d['version']} ({d['date']}). Do not edit: regenerate.\n"
        f"// {len(d['products'])} products, {len(d['valences'])} valences, {len(d['diseases'])} diseases.\n"
        f"// Data: {ATTRIBUTION}. Derived (selected fields, French labels); see NOTICE.\n"
        "//\n"
        "// One raw string literal: it compiles in well under a second, where an array literal of the\n"
        "// same data would take the type checker minutes. Parsed once, at first use (CatalogueSnapshot).\n"
        "enum NUVASnapshotData {\n"
        "    static let text = #\"\"\"\n"
        + text +
        "\"\"\"#\n"
        "}\n"
    )


def main(argv):
    args = [a for a in argv[1:]]
    text_out = None
    if "--text" in args:
        k = args.index("--text")
        if k + 1 >= len(args):
            print("usage: nuva_snapshot.py <NUVA directory> [--text FILE]", file=sys.stderr)
            return 2
        text_out = args[k + 1]
        del args[k:k + 2]
    if len(args) != 1:
        print("usage: nuva_snapshot.py <NUVA directory> [--text FILE]", file=sys.stderr)
        return 2
    try:
        d = derive(args[0].rstrip("/") or "/")
    except ReleaseError as e:
        print(f"refused: {e}", file=sys.stderr)
        return 1
    text = snapshot_text(d)
    if text_out:
        with open(text_out, "w", encoding="utf-8") as f:
            f.write(text)
        return 0
    root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    out = os.path.join(root, "Sources", "CarnetCatalogue", "Snapshot", "NUVASnapshotData.swift")
    os.makedirs(os.path.dirname(out), exist_ok=True)
    with open(out, "w", encoding="utf-8") as f:
        f.write(swift_source(text, d))
    print(f"{out}: {len(d['products'])} products, {len(text.encode('utf-8'))} bytes of snapshot text")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
