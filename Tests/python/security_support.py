"""Test helpers for the security suites: a small PKI made with `cryptography`
(CAs, server and client certificates, CRLs, modern PKCS#12 files) and a
loopback HTTPS server in a thread whose TLS settings and answers each test
chooses. Nothing here talks to anything but 127.0.0.1 / ::1.
"""
import base64
import datetime
import hashlib
import ipaddress
import os
import socket
import ssl
import threading
import time
import uuid
import warnings

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, rsa
from cryptography.hazmat.primitives.serialization import pkcs12
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

UTC = datetime.timezone.utc
P12_PASSWORD = "Mot-de-passe-P12-securite"
IDENTITY_SECRET = "secret-de-l-hote-securite"
CARNET_ID = "0b9a7c5e-1f2d-4c3b-8a9e-7d6c5b4a3f21"
EMPTY_BUNDLE = b'{"resourceType":"Bundle","type":"searchset","total":0,"entry":[]}'


def now():
    return datetime.datetime.now(UTC)


def _name(common_name):
    return x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, common_name)])


def new_key(kind="ec", bits=2048):
    if kind == "ec":
        return ec.generate_private_key(ec.SECP256R1())
    return rsa.generate_private_key(public_exponent=65537, key_size=bits)


def key_pem(key):
    return key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                             serialization.NoEncryption())


def cert_pem(cert):
    return cert.public_bytes(serialization.Encoding.PEM)


def spki_pin(cert):
    """libcurl's pin form of a certificate's public key."""
    der = cert.public_key().public_bytes(serialization.Encoding.DER,
                                         serialization.PublicFormat.SubjectPublicKeyInfo)
    return "sha256//" + base64.b64encode(hashlib.sha256(der).digest()).decode()


class Authority:
    """A certification authority (root, or intermediate when `parent` is given)."""

    def __init__(self, name, parent=None, key_kind="ec"):
        self.key = new_key(key_kind)
        self.parent = parent
        issuer_key = parent.key if parent else self.key
        builder = (x509.CertificateBuilder().subject_name(_name(name))
                   .issuer_name(parent.cert.subject if parent else _name(name))
                   .public_key(self.key.public_key()).serial_number(x509.random_serial_number())
                   .not_valid_before(now() - datetime.timedelta(days=30))
                   .not_valid_after(now() + datetime.timedelta(days=3650))
                   .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
                   .add_extension(x509.KeyUsage(digital_signature=True, content_commitment=False,
                                                key_encipherment=False, data_encipherment=False,
                                                key_agreement=False, key_cert_sign=True, crl_sign=True,
                                                encipher_only=False, decipher_only=False), critical=True)
                   .add_extension(x509.SubjectKeyIdentifier.from_public_key(self.key.public_key()), critical=False))
        if parent:
            builder = builder.add_extension(
                x509.AuthorityKeyIdentifier.from_issuer_public_key(parent.key.public_key()), critical=False)
        self.cert = builder.sign(issuer_key, hashes.SHA256())

    def issue(self, common_name="Carnet test", dns=(), ips=(), *, key=None, key_kind="ec", bits=2048,
              not_before=None, not_after=None, digest=None, client=False, san=True):
        """A leaf certificate; returns (cert, key)."""
        key = key or new_key(key_kind, bits)
        builder = (x509.CertificateBuilder().subject_name(_name(common_name)).issuer_name(self.cert.subject)
                   .public_key(key.public_key()).serial_number(x509.random_serial_number())
                   .not_valid_before(not_before or now() - datetime.timedelta(days=1))
                   .not_valid_after(not_after or now() + datetime.timedelta(days=90))
                   .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
                   .add_extension(x509.ExtendedKeyUsage(
                       [ExtendedKeyUsageOID.CLIENT_AUTH if client else ExtendedKeyUsageOID.SERVER_AUTH]),
                       critical=False)
                   .add_extension(x509.AuthorityKeyIdentifier.from_issuer_public_key(self.key.public_key()),
                                  critical=False))
        names = [x509.DNSName(d) for d in dns] + [x509.IPAddress(ipaddress.ip_address(i)) for i in ips]
        if san and names:
            builder = builder.add_extension(x509.SubjectAlternativeName(names), critical=False)
        return builder.sign(self.key, digest or hashes.SHA256()), key

    def crl(self, revoked_serials=(), next_update_days=7):
        builder = (x509.CertificateRevocationListBuilder().issuer_name(self.cert.subject)
                   .last_update(now() - datetime.timedelta(hours=1))
                   .next_update(now() + datetime.timedelta(days=next_update_days))
                   .add_extension(x509.CRLNumber(1), critical=False))
        for serial in revoked_serials:
            builder = builder.add_revoked_certificate(
                x509.RevokedCertificateBuilder().serial_number(serial)
                .revocation_date(now() - datetime.timedelta(minutes=5)).build())
        return builder.sign(self.key, hashes.SHA256())


def write(path, data):
    with open(path, "wb") as f:
        f.write(data)
    return str(path)


def modern_p12(cert, key, path, password=P12_PASSWORD, chain=()):
    """A PKCS#12 file encrypted with AES-256-CBC under PBKDF2-SHA256 (what Carnet accepts)."""
    encryption = (serialization.PrivateFormat.PKCS12.encryption_builder().kdf_rounds(10000)
                  .key_cert_algorithm(pkcs12.PBES.PBESv2SHA256AndAES256CBC).hmac_hash(hashes.SHA256())
                  .build(password.encode()))
    data = pkcs12.serialize_key_and_certificates(b"carnet", key, cert, list(chain) or None, encryption)
    return write(path, data)


class ClientPKI:
    """The professional's side: a client CA and a valid client identity as a modern .p12."""

    def __init__(self, directory, common_name="Dr Securite"):
        self.ca = Authority("Carnet test client CA")
        self.cert, self.key = self.ca.issue(common_name, client=True)
        self.ca_path = write(os.path.join(directory, "client-ca.pem"), cert_pem(self.ca.cert))
        self.p12_path = modern_p12(self.cert, self.key, os.path.join(directory, "client.p12"))


# ----------------------------------------------------------------------------- loopback HTTPS server

def server_context(chain_pem, key, *, minimum=None, maximum=None, ciphers=None, weak=False, client_ca=None,
                   require_client_cert=False):
    """A server SSLContext. `weak` lowers OpenSSL's security level to 0 so the
    server can offer what the library must refuse (small keys, SHA-1, TLS 1.0)."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)
        context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        if weak:
            context.set_ciphers((ciphers or "DEFAULT") + ":@SECLEVEL=0")
        elif ciphers:
            context.set_ciphers(ciphers)
        if minimum is not None:
            context.minimum_version = minimum
        if maximum is not None:
            context.maximum_version = maximum
    directory = os.environ.get("TMPDIR", "/tmp")
    base = os.path.join(directory, "carnet-sec-" + uuid.uuid4().hex)
    try:
        write(base + ".crt", chain_pem)
        write(base + ".key", key_pem(key))
        context.load_cert_chain(base + ".crt", base + ".key")
    finally:
        for suffix in (".crt", ".key"):
            if os.path.exists(base + suffix):
                os.remove(base + suffix)
    if client_ca is not None:
        context.load_verify_locations(client_ca)
        context.verify_mode = ssl.CERT_REQUIRED if require_client_cert else ssl.CERT_OPTIONAL
    return context


class Exchange:
    """What the server saw of one connection."""

    def __init__(self):
        self.handshake_ok = False
        self.handshake_error = None
        self.tls_version = None
        self.cipher = None
        self.client_cert = None
        self.request_line = None
        self.headers = {}


def json_answer(body=EMPTY_BUNDLE, status=200, content_type="application/fhir+json", extra=()):
    """A handler answering every request with one fixed response."""
    def handler(exchange, connection):
        head = [f"HTTP/1.1 {status} X", f"Content-Type: {content_type}", f"Content-Length: {len(body)}",
                "Connection: close", *extra]
        connection.sendall(("\r\n".join(head) + "\r\n\r\n").encode() + body)
    return handler


def _linger(raw):
    """Closes like a well-behaved server (and like the sandbox): stop sending, read what the
    client already sent, then close. Closing with unread data would send a TCP reset, which
    can destroy the TLS alert before the client reads it (see docs/security.md, known gaps)."""
    try:
        raw.shutdown(socket.SHUT_WR)
        raw.settimeout(1.0)
        while raw.recv(65536):
            pass
    except OSError:
        pass


class LoopbackServer:
    """An HTTPS (or plain TCP, with context=None) server on loopback, one thread
    per connection, recording every connection in `exchanges`."""

    def __init__(self, context, handler=None, host="127.0.0.1"):
        self.context = context
        self.handler = handler or json_answer()
        family = socket.AF_INET6 if ":" in host else socket.AF_INET
        self.sock = socket.socket(family, socket.SOCK_STREAM)
        self.sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self.sock.bind((host, 0))
        self.sock.listen(16)
        self.host = host
        self.port = self.sock.getsockname()[1]
        self.exchanges = []
        self.connections = 0
        self._stop = threading.Event()
        self._threads = []
        self._accept = threading.Thread(target=self._serve, daemon=True)
        self._accept.start()

    def url(self, name=None, path="/fhir"):
        host = name or (f"[{self.host}]" if ":" in self.host else self.host)
        return f"https://{host}:{self.port}{path}"

    def _serve(self):
        self.sock.settimeout(0.2)
        while not self._stop.is_set():
            try:
                raw, _ = self.sock.accept()
            except (socket.timeout, OSError):
                continue
            self.connections += 1
            thread = threading.Thread(target=self._connection, args=(raw,), daemon=True)
            self._threads.append(thread)
            thread.start()

    def _connection(self, raw):
        exchange = Exchange()
        self.exchanges.append(exchange)
        raw.settimeout(30)
        connection = raw
        try:
            if self.context is not None:
                connection = self.context.wrap_socket(raw, server_side=True, do_handshake_on_connect=False)
                try:
                    connection.do_handshake()
                except (ssl.SSLError, OSError) as error:
                    exchange.handshake_error = error
                    _linger(connection)
                    return
                exchange.handshake_ok = True
                exchange.tls_version = connection.version()
                exchange.cipher = connection.cipher()
                exchange.client_cert = connection.getpeercert(binary_form=True)
            data = b""
            while b"\r\n\r\n" not in data and len(data) < 65536:
                chunk = connection.recv(4096)
                if not chunk:
                    return
                data += chunk
            head = data.split(b"\r\n\r\n", 1)[0].decode("latin-1").split("\r\n")
            exchange.request_line = head[0]
            for line in head[1:]:
                if ":" in line:
                    name, value = line.split(":", 1)
                    exchange.headers[name.strip().lower()] = value.strip()
            self.handler(exchange, connection)
        except (ssl.SSLError, OSError):
            pass
        finally:
            try:
                connection.close()
            except OSError:
                pass

    def close(self):
        self._stop.set()
        self._accept.join(timeout=5)
        self.sock.close()
        # Connection threads are daemons; a handler that stalls on purpose (a silent
        # server) is not waited for longer than a second.
        for thread in self._threads:
            thread.join(timeout=1)

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()


def probe(server, *, minimum=None, maximum=None, ciphers=None, server_hostname=None, cafile=None):
    """Handshakes with `server` using a deliberately permissive Python client
    (no verification, security level 0): proves the server really offers what
    the test says, so a refusal by the library is the library's doing.
    Returns (version, cipher name)."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)
        context = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
        context.check_hostname = False
        context.verify_mode = ssl.CERT_NONE
        context.set_ciphers((ciphers or "ALL") + ":@SECLEVEL=0")
        if minimum is not None:
            context.minimum_version = minimum
        if maximum is not None:
            context.maximum_version = maximum
    family = socket.AF_INET6 if ":" in server.host else socket.AF_INET
    with socket.socket(family) as raw:
        raw.settimeout(10)
        raw.connect((server.host, server.port))
        with context.wrap_socket(raw, server_hostname=server_hostname) as tls:
            version, cipher = tls.version(), tls.cipher()[0]
    # The probe's own connection is not a library exchange.
    deadline = time.time() + 2
    while len(server.exchanges) < 1 and time.time() < deadline:
        time.sleep(0.01)
    server.exchanges.clear()
    server.connections = 0
    return version, cipher


def self_signed(common_name="self-signed", dns=(), ips=()):
    """A self-signed leaf (no CA) naming the host correctly; returns (cert, key)."""
    key = new_key()
    names = [x509.DNSName(d) for d in dns] + [x509.IPAddress(ipaddress.ip_address(i)) for i in ips]
    cert = (x509.CertificateBuilder().subject_name(_name(common_name)).issuer_name(_name(common_name))
            .public_key(key.public_key()).serial_number(x509.random_serial_number())
            .not_valid_before(now() - datetime.timedelta(days=1)).not_valid_after(now() + datetime.timedelta(days=30))
            .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
            .add_extension(x509.SubjectAlternativeName(names), critical=False)
            .sign(key, hashes.SHA256()))
    return cert, key


def sha1_signed(authority, directory, ips=("127.0.0.1",)):
    """A leaf signed with SHA-1 by `authority` (cryptography refuses to make
    SHA-1 signatures, the openssl command line still does); returns (cert, key)."""
    import subprocess
    key = new_key()
    base = os.path.join(str(directory), "sha1-" + uuid.uuid4().hex[:8])
    csr = (x509.CertificateSigningRequestBuilder().subject_name(_name("sha1 leaf")).sign(key, hashes.SHA256()))
    write(base + ".csr", csr.public_bytes(serialization.Encoding.PEM))
    write(base + ".ca.pem", cert_pem(authority.cert))
    write(base + ".ca.key", key_pem(authority.key))
    with open(base + ".ext", "w") as f:
        f.write("basicConstraints=critical,CA:FALSE\nextendedKeyUsage=serverAuth\n"
                "subjectAltName=" + ",".join("IP:" + i for i in ips) + "\n")
    subprocess.run(["openssl", "x509", "-req", "-in", base + ".csr", "-CA", base + ".ca.pem", "-CAkey",
                    base + ".ca.key", "-CAcreateserial", "-sha1", "-days", "30", "-extfile", base + ".ext",
                    "-out", base + ".crt"], check=True, capture_output=True)
    with open(base + ".crt", "rb") as f:
        cert = x509.load_pem_x509_certificate(f.read())
    os.remove(base + ".ca.key")
    return cert, key


# ----------------------------------------------------------------------------- every flow, for the scans

CIS_SYSTEM = "https://smt.esante.gouv.fr/terminologie-bdpm"
AGRIPPAL_CIS = "61921204"


class FlowRun:
    """Everything a scan needs after `run_every_flow`: the values that must
    never appear (patient data, secrets), the log lines and error messages."""

    def __init__(self):
        self.patient_values = {}
        self.secrets = {}
        self.log_lines = []
        self.messages = []
        self.key_pem = None


def _expect_failure(run, call, *args):
    import carnet
    try:
        call(*args)
    except carnet.CarnetFailure as failure:
        run.messages.append(failure.message)
        return failure
    raise AssertionError(f"{call.__name__} should have failed")


def run_every_flow(lib, sandbox, store, tmp_dir, locale=0):
    """Drives every C entry point against `sandbox`, with logging at DEBUG,
    including failing paths (wrong codes, wrong passwords, wrong dates).
    Returns a FlowRun."""
    import carnet
    from sandbox_process import Carnet

    run = FlowRun()
    tag = uuid.uuid4().hex[:6]
    patient = {"given": "Hortensia" + tag, "family": "Vauquelin" + tag, "birth": "1947-11-23",
               "email": f"hortensia.{tag}@example.org", "ins": "248000000000012"}
    holder = {"given": "Barnabe" + tag, "family": "Quillard" + tag, "birth": "1961-02-17",
              "email": f"famille.{tag}@example.org", "pseudonym": "Pseudo" + tag}
    professional = sandbox.create_professional(password="Mdp-compte-" + tag)
    p12_password = "Mdp-p12-" + tag
    run.patient_values.update({
        "given name": patient["given"], "family name": patient["family"], "birth date": patient["birth"],
        "email": patient["email"], "INS": patient["ins"], "holder given": holder["given"],
        "holder family": holder["family"], "holder birth date": holder["birth"], "holder email": holder["email"],
        "host patient id": "dossier-" + tag})
    run.secrets.update({"withdrawal code": professional.withdrawal_code, "account password": professional.password,
                        "identity secret": IDENTITY_SECRET + tag, "p12 password": p12_password})

    def log(payload, level, message):
        run.log_lines.append(message.decode("utf-8", "replace") if message else "")

    callback = carnet.carnet_log_callback(log)
    client = carnet.Client(lib, store, service_url=sandbox.base_url, enrollment_url=sandbox.enrollment_url,
                           ca_bundle_path=sandbox.ca_cert, identity_secret=IDENTITY_SECRET + tag,
                           account_email=professional.email, account_password=professional.password,
                           log_callback=callback, log_level=carnet.C["CARNET_LOG_DEBUG"], locale=locale)
    client._keep.append(callback)
    try:
        _expect_failure(run, client.certificate_enroll, "WXYZ-WXYZ-WXYZ-WXYZ")
        client.certificate_enroll(professional.withdrawal_code)
        _expect_failure(run, client.certificate_enroll, professional.withdrawal_code)  # used
        client.certificate_info()

        # A PKCS#12 import of a second certificate of the same account (key made by the sandbox).
        p12 = os.path.join(str(tmp_dir), "import-" + tag + ".p12")
        sandbox.export_p12(professional.email, p12_password, p12)
        with open(p12, "rb") as f:
            key, cert, _ = pkcs12.load_key_and_certificates(f.read(), p12_password.encode())
        run.key_pem = key_pem(key)
        run.key_scalar = key.private_numbers().private_value.to_bytes(32, "big")
        _expect_failure(run, client.certificate_import_p12, p12, "mauvais-" + tag)
        client.certificate_import_p12(p12, p12_password)

        host = run.patient_values["host patient id"]
        document = {"resourceType": "Patient", "name": [{"family": patient["family"], "given": [patient["given"]]}],
                    "birthDate": patient["birth"], "gender": "female",
                    "telecom": [{"system": "email", "value": patient["email"]}],
                    "identifier": [{"system": "urn:oid:1.2.250.1.213.1.4.10", "value": patient["ins"]}]}
        created = client.record_create(host, document)
        _expect_failure(run, client.record_create, host, document)  # already linked
        run.patient_values["share code"] = sandbox.latest_share_code(patient["email"])
        client.share_code_resend(host)
        _expect_failure(run, client.share_code_resend, host)  # too soon

        family = sandbox.create_citizen(holder["email"], [Carnet(holder["pseudonym"], holder["given"],
                                                                 holder["family"], holder["birth"], "male")])
        run.patient_values["holder share code"] = family.share_code
        _expect_failure(run, client.share_code_lookup, "ZZZZ-ZZZZ-ZZZ")
        found = client.share_code_lookup(family.share_code)
        candidate = next(p["part"][0]["valueString"] for p in found["parameter"]
                         if any(x.get("valueString") == holder["pseudonym"] for x in p["part"]))
        _expect_failure(run, client.record_claim, "claimed-" + tag, family.share_code, candidate, "1961-02-18")
        client.record_claim("claimed-" + tag, family.share_code, candidate, holder["birth"])

        immunization = {"resourceType": "Immunization", "identifier": [{"value": "vacc-" + tag}],
                        "vaccineCode": {"coding": [{"system": CIS_SYSTEM, "code": AGRIPPAL_CIS,
                                                    "display": "AGRIPPAL"}]},
                        "occurrenceDateTime": "2025-10-15", "lotNumber": "LOT-" + tag}
        client.vaccination_add(host, immunization)
        future = dict(immunization, identifier=[{"value": "futur-" + tag}], occurrenceDateTime="2099-01-01")
        try:
            client.vaccination_add(host, future)
        except carnet.CarnetFailure as failure:
            run.messages.append(failure.message)
        client.vaccinations_list(host)
        sandbox.add_vaccination(created["id"], cis=AGRIPPAL_CIS, date="2024-10-01")
        report = client.sync()
        imported = [a["immunization"]["id"] for a in report["added"] if a["patient_id"] == host]
        client.vaccinations_accept(host, {"imported": [{"immunization_id": i, "host_vaccination_id": "imp-" + i}
                                                       for i in imported], "ignored": []})
        client.vaccination_remove(host, "vacc-" + tag)
        _expect_failure(run, client.vaccination_remove, host, "futur-" + tag)  # refused at add: never recorded
        client.outbox_status()
        client.sync(host)
        client.recommendations_get(host)
        client.recommendations_get("claimed-" + tag)
        client.vaccines_search("grippe")
        client.link_get(host)
        _expect_failure(run, client.link_get, "inconnu-" + tag)
        _expect_failure(run, client.vaccinations_list, "inconnu-" + tag)
        client.link_remove("claimed-" + tag)
        for message in (client.last_error.text,):
            run.messages.append(message)
    finally:
        client.close()
    # The same store reopened with a wrong identity secret: its message too.
    with carnet.Client(lib, store, service_url=sandbox.base_url, ca_bundle_path=sandbox.ca_cert,
                       identity_secret="faux-" + tag, log_callback=callback,
                       log_level=carnet.C["CARNET_LOG_DEBUG"]) as again:
        _expect_failure(run, again.vaccinations_list, run.patient_values["host patient id"])
    return run
