"""The workstation's disk (docs/security.md, "The workstation"): after every
flow has run, no file the library wrote holds a private key, a password, a
withdrawal code or the host's identity secret in clear; the sealed key opens
with exactly the documented construction (PBKDF2-HMAC-SHA256 >= 600,000
iterations, AES-256-GCM bound to the certificate); files are 0600 and
directories 0700. PKCS#12: modern files load, legacy ones (RC2-40, 3DES) are
refused with their own status and message, a wrong password has its own.
"""
import base64
import hashlib
import os
import sqlite3
import stat
import struct
import subprocess

import pytest
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.pbkdf2 import PBKDF2HMAC
from cryptography.hazmat.primitives.serialization import pkcs12

import carnet
from sandbox_process import Sandbox
from security_support import (P12_PASSWORD, IDENTITY_SECRET, ClientPKI, cert_pem, key_pem, run_every_flow, write)

# DER prefixes of private keys: PKCS#8 (version 0 + id-ecPublicKey / rsaEncryption) and SEC1 EC keys.
KEY_DER_MARKERS = {
    "PKCS#8 EC": bytes.fromhex("020100301306072a8648ce3d0201"),
    "PKCS#8 RSA": bytes.fromhex("020100300d06092a864886f70d0101010500"),
    "SEC1 EC P-256": bytes.fromhex("30770201010420"),
}


def encodings(value):
    """The forms a secret could be written in."""
    raw = value if isinstance(value, bytes) else value.encode("utf-8")
    forms = {"utf-8": raw, "hex": raw.hex().encode(), "HEX": raw.hex().upper().encode(),
             "base64": base64.b64encode(raw).rstrip(b"="), "base64url": base64.urlsafe_b64encode(raw).rstrip(b"=")}
    if not isinstance(value, bytes):
        forms["utf-16"] = value.encode("utf-16-le")
    return forms


def files_under(directory):
    for root, dirs, files in os.walk(directory):
        for name in files:
            yield os.path.join(root, name)


def scan(directory, secrets, key_scalars=()):
    """Every (file, what, encoding) found in clear."""
    hits = []
    for path in files_under(directory):
        with open(path, "rb") as f:
            data = f.read()
        if b"PRIVATE KEY" in data:
            hits.append((path, "PEM private key", ""))
        for name, marker in KEY_DER_MARKERS.items():
            if marker in data:
                hits.append((path, name, "DER"))
        for name, value in list(secrets.items()) + [(f"key scalar {i}", s) for i, s in enumerate(key_scalars)]:
            for form, needle in encodings(value).items():
                if len(needle) >= 6 and needle in data:
                    hits.append((path, name, form))
    return hits


@pytest.fixture(scope="module")
def flows(lib, tmp_path_factory):
    directory = tmp_path_factory.mktemp("at-rest")
    with Sandbox(log_level="debug") as sandbox:
        store = str(directory / "store")
        run = run_every_flow(lib, sandbox, store, directory)
        run.store = store
        yield run


def test_the_scan_finds_what_it_looks_for(tmp_path, flows):
    """The scanner's own proof: planted secrets and keys are found in every form."""
    planted = tmp_path / "planted"
    planted.mkdir()
    (planted / "a").write_bytes(b"xx" + flows.key_pem + b"yy")
    (planted / "b").write_bytes(serialization.load_pem_private_key(flows.key_pem, None).private_bytes(
        serialization.Encoding.DER, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()))
    (planted / "c").write_bytes(b"..." + flows.secrets["withdrawal code"].encode("utf-16-le"))
    (planted / "d").write_bytes(base64.b64encode(flows.secrets["identity secret"].encode()))
    (planted / "e").write_bytes(flows.key_scalar.hex().encode())
    found = {(os.path.basename(p), what) for p, what, _ in scan(str(planted), flows.secrets, [flows.key_scalar])}
    assert ("a", "PEM private key") in found and ("b", "PKCS#8 EC") in found
    assert ("c", "withdrawal code") in found and ("d", "identity secret") in found
    assert ("e", "key scalar 0") in found


def test_no_key_password_code_or_secret_in_any_file_the_library_wrote(flows):
    paths = list(files_under(flows.store))
    assert any(p.endswith("carnet.sqlite") for p in paths), paths
    everything = b"".join(open(p, "rb").read() for p in paths)
    assert b"BEGIN CERTIFICATE" in everything, "the scan does not see the store's content"
    hits = scan(flows.store, flows.secrets, [flows.key_scalar])
    assert hits == [], hits


def test_the_sealed_key_is_aes_256_gcm_under_pbkdf2_sha256_600k(flows):
    with sqlite3.connect(f"file:{os.path.join(flows.store, 'carnet.sqlite')}?mode=ro", uri=True) as db:
        certificate, sealed = db.execute("SELECT certificate_pem, sealed_key FROM identity").fetchone()
    sealed = bytes(sealed)
    assert sealed[:5] == b"CKEY1"
    (iterations,) = struct.unpack(">I", sealed[5:9])
    assert iterations >= 600_000
    salt, nonce, tag, cipher = sealed[9:25], sealed[25:37], sealed[37:53], sealed[53:]
    der = x509_der(bytes(certificate))
    kdf = PBKDF2HMAC(algorithm=hashes.SHA256(), length=32, salt=salt, iterations=iterations)
    key = kdf.derive(flows.secrets["identity secret"].encode())
    plain = AESGCM(key).decrypt(nonce, cipher + tag, hashlib.sha256(der).digest())
    # The imported PKCS#12's key, exactly.
    opened = serialization.load_pem_private_key(plain, None)
    assert opened.private_numbers().private_value.to_bytes(32, "big") == flows.key_scalar
    # Bound to the certificate: another binding does not open it.
    with pytest.raises(Exception):
        AESGCM(key).decrypt(nonce, cipher + tag, hashlib.sha256(der + b"x").digest())


def x509_der(pem):
    from cryptography import x509
    return x509.load_pem_x509_certificate(pem).public_bytes(serialization.Encoding.DER)


def test_store_files_are_0600_and_directories_0700(flows):
    modes = {}
    for root, dirs, files in os.walk(flows.store):
        modes[root] = stat.S_IMODE(os.stat(root).st_mode)
        for name in files:
            path = os.path.join(root, name)
            modes[path] = stat.S_IMODE(os.lstat(path).st_mode)
    assert modes[flows.store] == 0o700
    assert len(modes) >= 2
    wrong = {p: oct(m) for p, m in modes.items() if m != (0o700 if os.path.isdir(p) else 0o600)}
    assert wrong == {}


def test_a_wrong_identity_secret_is_its_own_status(lib, flows):
    with carnet.Client(lib, flows.store, identity_secret="pas le bon secret",
                       service_url="https://127.0.0.1:9/fhir") as client:
        client.link_set("p1", "0b9a7c5e-1f2d-4c3b-8a9e-7d6c5b4a3f21")
        with pytest.raises(carnet.CarnetFailure) as failure:
            client.vaccinations_list("p1")
    assert carnet.STATUS_NAMES[failure.value.status] == "CARNET_E_IDENTITY_SECRET"
    assert "secret" in failure.value.message
    assert "pas le bon secret" not in failure.value.message


# ----------------------------------------------------------------------------- PKCS#12

@pytest.fixture(scope="module")
def identity(tmp_path_factory):
    directory = tmp_path_factory.mktemp("p12")
    pki = ClientPKI(str(directory))
    cert = write(directory / "id.crt", cert_pem(pki.cert))
    key = write(directory / "id.key", key_pem(pki.key))
    return pki, directory, cert, key


def import_p12(lib, tmp_path, path, password):
    with carnet.Client(lib, str(tmp_path / "store"), identity_secret=IDENTITY_SECRET) as client:
        return client.certificate_import_p12(str(path), password)


def openssl_p12(directory, cert, key, name, *options):
    out = os.path.join(str(directory), name)
    subprocess.run(["openssl", "pkcs12", "-export", "-in", cert, "-inkey", key, "-out", out,
                    "-passout", "pass:" + P12_PASSWORD, *options], check=True, capture_output=True)
    info = subprocess.run(["openssl", "pkcs12", "-in", out, "-info", "-noout", "-legacy",
                           "-passin", "pass:" + P12_PASSWORD], capture_output=True, text=True)
    return out, info.stdout + info.stderr


def test_modern_pkcs12_loads(lib, tmp_path, identity):
    pki, directory, cert, key = identity
    path, info = openssl_p12(directory, cert, key, "modern.p12")  # OpenSSL 3 default: PBES2/AES-256-CBC
    assert "AES-256-CBC" in info and "PBKDF2" in info, info
    assert import_p12(lib, tmp_path, path, P12_PASSWORD)["common_name"] == "Dr Securite"
    assert import_p12(lib, tmp_path, pki.p12_path, P12_PASSWORD)["expired"] is False


@pytest.mark.parametrize("name, options, expected", [
    ("rc2-40", ["-legacy"], "RC2"),
    ("rc2-40-explicit", ["-legacy", "-certpbe", "PBE-SHA1-RC2-40", "-keypbe", "PBE-SHA1-RC2-40"], "RC2"),
    ("3des", ["-certpbe", "PBE-SHA1-3DES", "-keypbe", "PBE-SHA1-3DES", "-macalg", "sha1"], "TripleDES"),
    ("3des-key-aes-cert", ["-keypbe", "PBE-SHA1-3DES"], "TripleDES"),
])
def test_legacy_pkcs12_is_refused_with_its_own_message(lib, tmp_path, identity, name, options, expected):
    pki, directory, cert, key = identity
    path, info = openssl_p12(directory, cert, key, name + ".p12", *options)
    assert expected in info, info
    with pytest.raises(carnet.CarnetFailure) as failure:
        import_p12(lib, tmp_path, path, P12_PASSWORD)
    assert carnet.STATUS_NAMES[failure.value.status] == "CARNET_E_PKCS12_UNSUPPORTED"
    assert "ancien chiffrement" in failure.value.message and "AES-256" in failure.value.message
    # A wrong password is still told apart, even on a legacy file.
    with pytest.raises(carnet.CarnetFailure) as failure:
        import_p12(lib, tmp_path, path, "mauvais")
    assert carnet.STATUS_NAMES[failure.value.status] == "CARNET_E_PKCS12_PASSWORD"


def test_wrong_pkcs12_password_has_its_own_message(lib, tmp_path, identity):
    pki, _, _, _ = identity
    with pytest.raises(carnet.CarnetFailure) as failure:
        import_p12(lib, tmp_path, pki.p12_path, "mauvais mot de passe")
    assert carnet.STATUS_NAMES[failure.value.status] == "CARNET_E_PKCS12_PASSWORD"
    assert "mot de passe" in failure.value.message and "mauvais" not in failure.value.message


def test_pkcs12_with_a_chain_and_a_key_from_cryptography_loads(lib, tmp_path, identity):
    pki, directory, _, _ = identity
    encryption = (serialization.PrivateFormat.PKCS12.encryption_builder().kdf_rounds(50000)
                  .key_cert_algorithm(pkcs12.PBES.PBESv2SHA256AndAES256CBC).hmac_hash(hashes.SHA256())
                  .build(P12_PASSWORD.encode()))
    data = pkcs12.serialize_key_and_certificates(b"pro", pki.key, pki.cert, [pki.ca.cert], encryption)
    path = write(directory / "chain.p12", data)
    assert import_p12(lib, tmp_path, path, P12_PASSWORD)["issuer"].endswith("Carnet test client CA")


@pytest.mark.parametrize("tamper", ["iterations", "ciphertext", "binding"])
def test_a_tampered_sealed_key_is_refused_quickly(lib, tmp_path, flows, tamper):
    import shutil
    import time
    store = str(tmp_path / "copy")
    shutil.copytree(flows.store, store)
    with sqlite3.connect(os.path.join(store, "carnet.sqlite")) as db:
        certificate, sealed = db.execute("SELECT certificate_pem, sealed_key FROM identity").fetchone()
        sealed = bytearray(sealed)
        if tamper == "iterations":
            sealed[5:9] = struct.pack(">I", 0xFFFFFFFF)  # would take hours if honoured
        elif tamper == "ciphertext":
            sealed[-1] ^= 0x01
        else:
            db.execute("UPDATE identity SET certificate_pem = ?", (bytes(certificate).replace(b"A", b"B", 1),))
        db.execute("UPDATE identity SET sealed_key = ?", (bytes(sealed),))
    started = time.monotonic()
    with carnet.Client(lib, store, identity_secret=flows.secrets["identity secret"],
                       service_url="https://127.0.0.1:9/fhir") as client:
        with pytest.raises(carnet.CarnetFailure) as failure:
            client.vaccinations_list(flows.patient_values["host patient id"])
    assert time.monotonic() - started < 10
    assert carnet.STATUS_NAMES[failure.value.status] in ("CARNET_E_STORAGE", "CARNET_E_IDENTITY_SECRET",
                                                         "CARNET_E_CREDENTIALS"), failure.value
    assert "secret" in failure.value.message or "endommagé" in failure.value.message
