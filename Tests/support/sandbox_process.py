"""Start, drive and stop a real ``carnet-sandbox`` for tests.

Every test suite that needs the reference CVE service (the sandbox contract tests, the
libcarnet ctypes tests, the demo) builds on this module. It uses only the Python standard
library and the ``openssl`` command line (keys and certificate requests).

Typical use::

    from sandbox_process import Sandbox, TEN_CARNETS

    with Sandbox() as sb:                       # fresh temp data dir, free loopback ports
        pro = sb.create_professional()          # account + withdrawal code
        ident = sb.enroll(pro.withdrawal_code)  # key + CSR made here, certificate returned
        status, headers, body = sb.request("GET", "/fhir/metadata", identity=ident)
        family = sb.create_citizen("famille@example.org", TEN_CARNETS)
        code = family.share_code                # read from the .eml outbox, as a patient would

The binary is ``$CARNET_SANDBOX_BIN``, else ``sandbox/.build/debug/carnet-sandbox`` under the
repository root. Ports are chosen by the server itself (port 0) and read back from
``<data dir>/server.json``, so two sandboxes never race for a port.

Subcommands (``sb.cli(...)``) run as separate processes on the same data directory and work
while the server runs; they print one JSON document, which ``cli`` returns parsed.
"""

from __future__ import annotations

import base64
import dataclasses
import email
import email.policy
import http.client
import json
import os
import re
import shutil
import signal
import ssl
import subprocess
import tempfile
import time
import uuid
from typing import Any, Iterable, Optional, Sequence

REPO_ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
DEFAULT_BINARY = os.path.join(REPO_ROOT, "sandbox", ".build", "debug", "carnet-sandbox")

CIS_SYSTEM = "https://smt.esante.gouv.fr/terminologie-bdpm"
PSEUDONYM_EXTENSION = "https://carnet-sandbox.invalid/fhir/StructureDefinition/carnet-pseudonym"
OUTCOME_SYSTEM = "https://carnet-sandbox.invalid/fhir/CodeSystem/outcome"
SHARE_CODE_RE = re.compile(r"Votre code de partage : ([2-9A-HJ-NP-Z]{4}-[2-9A-HJ-NP-Z]{4}-[2-9A-HJ-NP-Z]{3})")


def binary_path() -> str:
    """Path of the sandbox executable (``$CARNET_SANDBOX_BIN`` or the debug build)."""
    return os.environ.get("CARNET_SANDBOX_BIN") or DEFAULT_BINARY


class SandboxError(RuntimeError):
    """The sandbox failed to start, or a subcommand exited with a non-zero status."""

    def __init__(self, message: str, returncode: int = 0, stderr: str = ""):
        super().__init__(message)
        self.returncode = returncode
        self.stderr = stderr


@dataclasses.dataclass(frozen=True)
class Carnet:
    """One carnet of a citizen account, as ``citizen create`` takes it."""

    pseudonym: str
    given: str
    family: str
    birth_date: str  # YYYY-MM-DD
    gender: str = "unknown"  # male | female | other | unknown

    def spec(self) -> str:
        return f"{self.pseudonym};{self.given};{self.family};{self.birth_date};{self.gender}"


# The ten carnets of the user guide's share-code screen (issue 5): one account, one code.
TEN_CARNETS: Sequence[Carnet] = (
    Carnet("Test Testsss", "Test", "Testsss", "1980-03-14", "male"),
    Carnet("Test Test Test", "Test", "Test Test", "1982-07-01", "female"),
    Carnet("Cervarix", "Camille", "Durand", "2004-05-20", "female"),
    Carnet("voyage", "Paul", "Durand", "1979-11-02", "male"),
    Carnet("Ambroise", "Ambroise", "Durand", "2012-01-09", "male"),
    Carnet("Alwin-10062005", "Alwin", "Durand", "2005-06-10", "male"),
    Carnet("010106", "Lina", "Durand", "2006-01-01", "female"),
    Carnet("10 ans", "Jules", "Durand", "2015-09-30", "male"),
    Carnet("15/12/2006", "Emma", "Durand", "2006-12-15", "female"),
    Carnet("09 10 2007", "Hugo", "Durand", "2007-10-09", "male"),
)


@dataclasses.dataclass
class Professional:
    """An account created by ``professional create``."""

    id: str
    email: str
    password: str
    name: str
    rpps: str
    withdrawal_code: str


@dataclasses.dataclass
class Identity:
    """A client certificate and its private key (PEM files), usable for mutual TLS."""

    cert_path: str
    key_path: str

    def thumbprint(self) -> str:
        """SHA-256 of the certificate's DER, hex (how the sandbox identifies it)."""
        der = subprocess.run(["openssl", "x509", "-in", self.cert_path, "-outform", "DER"],
                             check=True, capture_output=True).stdout
        import hashlib

        return hashlib.sha256(der).hexdigest()

    def serial(self) -> str:
        """Serial number as lower-case hex (as ``openssl x509 -serial`` prints it)."""
        out = subprocess.run(["openssl", "x509", "-in", self.cert_path, "-noout", "-serial"],
                             check=True, capture_output=True, text=True).stdout
        return out.strip().split("=", 1)[1].lower()


@dataclasses.dataclass
class CitizenAccount:
    """A citizen account with its carnets (``id``, ``pseudonym``) and its share code."""

    email: str
    carnets: list  # [{"id": ..., "pseudonym": ..., "birth_date": ...}]
    share_code: str

    def carnet(self, pseudonym: str) -> dict:
        return next(c for c in self.carnets if c["pseudonym"] == pseudonym)


@dataclasses.dataclass
class Email:
    """One .eml file of the outbox."""

    path: str
    to: str
    subject: str
    kind: str
    body: str

    @property
    def share_code(self) -> Optional[str]:
        match = SHARE_CODE_RE.search(self.body)
        return match.group(1) if match else None


@dataclasses.dataclass
class HTTPResponse:
    status: int
    headers: dict  # lower-case names
    body: bytes

    def json(self) -> Any:
        return json.loads(self.body.decode("utf-8"))

    def header(self, name: str) -> Optional[str]:
        return self.headers.get(name.lower())


class Sandbox:
    """A ``carnet-sandbox serve`` process on a fresh (or given) data directory.

    Parameters: ``data_dir`` (default: a new temp dir, removed by ``cleanup()``), ``binary``,
    ``rate_limit`` (requests/minute/professional, default 600), ``resend_interval`` (seconds between
    share-code resends, default 60), ``share_code_lock_seconds`` (default 900),
    ``withdrawal_max_failures`` (wrong withdrawal codes per address per 15 min, default 5; the lock
    is per client address, and every test client is 127.0.0.1), ``log_level``, ``host`` (the loopback
    address both listeners bind: ``127.0.0.1`` or ``::1``) and ``extra_args`` passed to ``serve``.
    """

    def __init__(self, data_dir: Optional[str] = None, binary: Optional[str] = None, *,
                 rate_limit: Optional[int] = None, resend_interval: Optional[int] = None,
                 share_code_lock_seconds: Optional[int] = None, withdrawal_max_failures: Optional[int] = None,
                 log_level: str = "info", host: str = "127.0.0.1", extra_args: Iterable[str] = ()):
        self.binary = binary or binary_path()
        if not os.path.exists(self.binary):
            raise SandboxError(f"{self.binary} not found: build it with `make sandbox` "
                               "(swift build --package-path sandbox)")
        self._own_dir = data_dir is None
        self.data_dir = data_dir or tempfile.mkdtemp(prefix="carnet-sandbox-")
        self.rate_limit = rate_limit
        self.resend_interval = resend_interval
        self.share_code_lock_seconds = share_code_lock_seconds
        self.withdrawal_max_failures = withdrawal_max_failures
        self.log_level = log_level
        self.host = host
        self.extra_args = list(extra_args)
        self.process: Optional[subprocess.Popen] = None
        self.fhir_port = 0
        self.enrollment_port = 0
        self._log_file = None
        self._identities = os.path.join(self.data_dir, "test-identities")

    # ----------------------------------------------------------------- lifecycle

    @property
    def ca_cert(self) -> str:
        """PEM file of the sandbox CA (trust anchor for the server and issuer of client certificates)."""
        return os.path.join(self.data_dir, "ca", "ca.pem")

    @property
    def log_path(self) -> str:
        """Everything the server wrote on stdout/stderr (JSON lines), across restarts."""
        return os.path.join(self.data_dir, "server.log")

    @property
    def outbox_dir(self) -> str:
        return os.path.join(self.data_dir, "outbox")

    @property
    def base_url(self) -> str:
        """FHIR base, e.g. ``https://127.0.0.1:40123/fhir`` (mutual TLS)."""
        return f"https://{self._url_host}:{self.fhir_port}/fhir"

    @property
    def enrollment_url(self) -> str:
        """Enrollment listener root, e.g. ``https://127.0.0.1:40124`` (no client certificate)."""
        return f"https://{self._url_host}:{self.enrollment_port}"

    @property
    def _url_host(self) -> str:
        return f"[{self.host}]" if ":" in self.host else self.host

    def start(self, timeout: float = 60.0) -> "Sandbox":
        """Starts ``serve`` on ``host`` port 0 (both listeners) and waits until it is ready."""
        if self.process is not None:
            raise SandboxError("already started")
        os.makedirs(self.data_dir, exist_ok=True)
        ready = os.path.join(self.data_dir, "server.json")
        if os.path.exists(ready):
            os.remove(ready)
        bind = f"[{self.host}]:0" if ":" in self.host else f"{self.host}:0"
        args = [self.binary, "serve", "--data-dir", self.data_dir, "--address", bind,
                "--enrollment-address", bind, "--log-level", self.log_level]
        if self.rate_limit is not None:
            args += ["--rate-limit", str(self.rate_limit)]
        if self.resend_interval is not None:
            args += ["--resend-interval", str(self.resend_interval)]
        if self.share_code_lock_seconds is not None:
            args += ["--share-code-lock-seconds", str(self.share_code_lock_seconds)]
        if self.withdrawal_max_failures is not None:
            args += ["--withdrawal-max-failures", str(self.withdrawal_max_failures)]
        args += self.extra_args
        self._log_file = open(self.log_path, "ab")
        self.process = subprocess.Popen(args, stdout=self._log_file, stderr=subprocess.STDOUT,
                                        stdin=subprocess.DEVNULL)
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                self._close_log()
                raise SandboxError(f"carnet-sandbox exited with status {self.process.returncode}:\n"
                                   + self.read_log()[-4000:], self.process.returncode)
            try:
                with open(ready) as f:
                    info = json.load(f)
                if info.get("pid") == self.process.pid:
                    self.fhir_port = int(info["fhir_port"])
                    self.enrollment_port = int(info["enrollment_port"])
                    return self
            except (OSError, ValueError, KeyError):
                pass
            time.sleep(0.05)
        self.stop()
        raise SandboxError("carnet-sandbox did not become ready in time:\n" + self.read_log()[-4000:])

    def stop(self, timeout: float = 15.0) -> Optional[int]:
        """Sends SIGTERM, waits for a graceful exit (SIGKILL after ``timeout``); returns the exit status."""
        if self.process is None:
            return None
        process, self.process = self.process, None
        if process.poll() is None:
            process.send_signal(signal.SIGTERM)
            try:
                process.wait(timeout)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
        self._close_log()
        return process.returncode

    def restart(self) -> "Sandbox":
        """Stops and starts again on the same data directory (ports change)."""
        self.stop()
        return self.start()

    def cleanup(self) -> None:
        """Stops the server and removes the data directory if this object created it."""
        self.stop()
        if self._own_dir:
            shutil.rmtree(self.data_dir, ignore_errors=True)

    def __enter__(self) -> "Sandbox":
        return self.start()

    def __exit__(self, *exc) -> None:
        self.cleanup()

    def _close_log(self) -> None:
        if self._log_file is not None:
            self._log_file.close()
            self._log_file = None

    def read_log(self) -> str:
        try:
            with open(self.log_path, encoding="utf-8", errors="replace") as f:
                return f.read()
        except OSError:
            return ""

    def log_events(self) -> list:
        """The server's structured log lines, parsed (non-JSON lines skipped)."""
        events = []
        for line in self.read_log().splitlines():
            try:
                events.append(json.loads(line))
            except ValueError:
                pass
        return events

    # ----------------------------------------------------------------- subcommands

    def cli(self, *args: str, check: bool = True) -> Any:
        """Runs ``carnet-sandbox <args> --data-dir <dir>``; returns its JSON output.

        Raises ``SandboxError`` (with ``returncode`` and ``stderr``) on a non-zero exit when ``check``.
        """
        result = subprocess.run([self.binary, *args, "--data-dir", self.data_dir],
                                capture_output=True, text=True, timeout=120)
        with open(self.log_path, "a", encoding="utf-8") as log:
            log.write(result.stderr)
        if result.returncode != 0:
            if check:
                raise SandboxError(f"carnet-sandbox {' '.join(args[:2])} failed: {result.stderr.strip()}",
                                   result.returncode, result.stderr)
            return None
        return json.loads(result.stdout) if result.stdout.strip() else None

    def create_professional(self, email: Optional[str] = None, password: Optional[str] = None,
                            name: str = "Dr Claire Martin", rpps: str = "10001234567") -> Professional:
        """Creates a professional account; returns it with its withdrawal code."""
        email = email or f"pro-{uuid.uuid4().hex[:10]}@example.org"
        password = password or "motdepasse-" + uuid.uuid4().hex[:8]
        out = self.cli("professional", "create", "--email", email, "--password", password,
                       "--name", name, "--rpps", rpps)
        return Professional(out["id"], email, password, name, rpps, out["withdrawal_code"])

    def new_withdrawal_code(self, email: str) -> str:
        return self.cli("professional", "withdrawal-code", "--email", email)["withdrawal_code"]

    def export_p12(self, email: str, password: str, path: str) -> dict:
        """Writes a PKCS#12 (key generated by the sandbox, AES-256/PBKDF2) for the account."""
        return self.cli("professional", "export-p12", "--email", email, "--password", password, "--out", path)

    def revoke_certificate(self, email: Optional[str] = None, serial: Optional[str] = None) -> list:
        """Revokes one certificate (``serial``, hex) or all of an account's; returns the revoked serials."""
        args = ["professional", "revoke-certificate"]
        if email:
            args += ["--email", email]
        if serial:
            args += ["--serial", serial]
        return self.cli(*args)["revoked"]

    def create_citizen(self, email: str, carnets: Sequence[Carnet]) -> CitizenAccount:
        """Creates (or extends) a citizen account; returns its carnets and the share code from the outbox."""
        args = ["citizen", "create", "--email", email]
        for carnet in carnets:
            args += ["--carnet", carnet.spec()]
        out = self.cli(*args)
        births = {c.pseudonym: c.birth_date for c in carnets}
        items = [dict(c, birth_date=births.get(c["pseudonym"])) for c in out["carnets"]]
        return CitizenAccount(email, items, self.latest_share_code(email))

    def create_ten_carnet_citizen(self, email: Optional[str] = None) -> CitizenAccount:
        """The guide's family: one account, one share code, the ten carnets of ``TEN_CARNETS``."""
        return self.create_citizen(email or f"famille-{uuid.uuid4().hex[:8]}@example.org", TEN_CARNETS)

    def add_vaccination(self, carnet_id: str, cis: str = "60004505", date: str = "2024-10-15", *,
                        professional_email: Optional[str] = None, display: Optional[str] = None,
                        lot: Optional[str] = None, identifier_system: Optional[str] = None,
                        identifier_value: Optional[str] = None) -> dict:
        """Records a vaccination as the citizen (default) or as another professional (needs access)."""
        args = ["vaccination", "add", "--carnet", carnet_id, "--cis", cis, "--date", date]
        for flag, value in (("--professional", professional_email), ("--display", display), ("--lot", lot),
                            ("--identifier-system", identifier_system), ("--identifier-value", identifier_value)):
            if value:
                args += [flag, value]
        return self.cli(*args)

    def delete_vaccination(self, immunization_id: str, *, professional_email: Optional[str] = None) -> dict:
        args = ["vaccination", "delete", "--id", immunization_id]
        if professional_email:
            args += ["--professional", professional_email]
        return self.cli(*args)

    def revoke_access(self, carnet_id: str, professional_email: Optional[str] = None, *,
                      team: Optional[str] = None) -> dict:
        """The citizen withdraws a professional's (or a ``team``'s, by name or id) access: the carnet
        freezes (read-only) for them — for the professional's whole team when it sees the carnet
        through its team — and the account's share code is renewed (the new one is emailed:
        ``latest_share_code``). Returns ``{"carnet", "professional"?, "team"?, "revoked": true}``."""
        args = ["access", "revoke", "--carnet", carnet_id]
        if professional_email:
            args += ["--professional", professional_email]
        if team:
            args += ["--team", team]
        return self.cli(*args)

    # ----------------------------------------------------------------- care teams (staff)

    def create_team(self, name: Optional[str] = None) -> dict:
        """Creates a care team ("abonnement collectif"); returns ``{"id", "name"}``."""
        return self.cli("team", "create", "--name", name or f"Equipe {uuid.uuid4().hex[:8]}")

    def add_team_member(self, team: str, email: str) -> dict:
        """Adds a professional (by email) to a team (by name or id; at most one team per professional).
        Returns the team: ``{"id", "name", "members": [{"id", "email", "name"}], "carnets": n}``."""
        return self.cli("team", "add-member", "--team", team, "--email", email)

    def remove_team_member(self, team: str, email: str) -> dict:
        """Removes a professional from a team: it loses the team's carnets at once. Returns the team."""
        return self.cli("team", "remove-member", "--team", team, "--email", email)

    def show_team(self, team: str) -> dict:
        """The team (by name or id), as ``add_team_member`` returns it."""
        return self.cli("team", "show", "--team", team)

    # ----------------------------------------------------------------- outbox

    def outbox(self) -> list:
        """Every email sent, oldest first."""
        items = []
        if not os.path.isdir(self.outbox_dir):
            return items
        for name in sorted(os.listdir(self.outbox_dir)):
            if not name.endswith(".eml"):
                continue
            path = os.path.join(self.outbox_dir, name)
            with open(path, "rb") as f:
                message = email.message_from_binary_file(f, policy=email.policy.default)
            body = message.get_content() if not message.is_multipart() else ""
            to = str(message["To"] or "").strip("<> ")
            items.append(Email(path, to, str(message["Subject"] or ""), str(message["X-Carnet-Kind"] or ""), body))
        return items

    def emails_to(self, address: str) -> list:
        return [m for m in self.outbox() if m.to.lower() == address.lower()]

    def latest_share_code(self, address: str) -> str:
        """The share code in the latest email to ``address`` (as the patient reads it)."""
        codes = [m.share_code for m in self.emails_to(address) if m.share_code]
        if not codes:
            raise SandboxError(f"no share code emailed to {address}")
        return codes[-1]

    # ----------------------------------------------------------------- TLS clients

    def ssl_context(self, identity: Optional[Identity] = None) -> ssl.SSLContext:
        """A client context trusting only the sandbox CA, TLS 1.2+, with ``identity`` if given."""
        context = ssl.create_default_context(cafile=self.ca_cert)
        context.minimum_version = ssl.TLSVersion.TLSv1_2
        if identity is not None:
            context.load_cert_chain(identity.cert_path, identity.key_path)
        return context

    def make_key_and_csr(self, key_type: str = "ec", name: Optional[str] = None) -> tuple:
        """Generates a private key (``ec`` P-256 or ``rsa`` 2048/``rsa1024``) and a PKCS#10 request with openssl.

        Returns ``(key_path, csr_pem_bytes)``.
        """
        os.makedirs(self._identities, exist_ok=True)
        name = name or uuid.uuid4().hex
        key_path = os.path.join(self._identities, name + ".key.pem")
        if key_type == "ec":
            subprocess.run(["openssl", "genpkey", "-algorithm", "EC", "-pkeyopt", "ec_paramgen_curve:P-256",
                            "-out", key_path], check=True, capture_output=True)
        else:
            bits = "1024" if key_type == "rsa1024" else "2048"
            subprocess.run(["openssl", "genpkey", "-algorithm", "RSA", "-pkeyopt", f"rsa_keygen_bits:{bits}",
                            "-out", key_path], check=True, capture_output=True)
        os.chmod(key_path, 0o600)
        csr = subprocess.run(["openssl", "req", "-new", "-key", key_path, "-subj", "/CN=carnet-test"],
                             check=True, capture_output=True).stdout
        return key_path, csr

    def enroll_raw(self, withdrawal_code: Optional[str], csr: bytes,
                   content_type: str = "application/pkcs10") -> HTTPResponse:
        """POST /.well-known/est/simpleenroll on the enrollment listener (no client certificate)."""
        headers = {"Content-Type": content_type}
        if withdrawal_code is not None:
            headers["Authorization"] = "Basic " + base64.b64encode(b":" + withdrawal_code.encode()).decode()
        return self.raw_request("POST", "/.well-known/est/simpleenroll", body=csr, headers=headers, enrollment=True)

    def enroll(self, withdrawal_code: str, key_type: str = "ec") -> Identity:
        """Generates a key here, enrolls it with the withdrawal code, returns the identity (cert + key)."""
        key_path, csr = self.make_key_and_csr(key_type)
        response = self.enroll_raw(withdrawal_code, csr)
        if response.status != 200:
            raise SandboxError(f"enrollment failed: {response.status} {response.body[:300]!r}")
        cert_path = key_path.replace(".key.pem", ".cert.pem")
        with open(cert_path, "wb") as f:
            f.write(response.body)
        return Identity(cert_path, key_path)

    def forge_client_certificate(self, not_before=None, not_after=None, common_name: str = "Dr Forged",
                                 key_type: str = "ec") -> Identity:
        """Test helper: a clientAuth certificate signed directly with the sandbox CA key
        (``<data dir>/ca/ca.key.pem``), with any validity window (``datetime``s, UTC), e.g. already
        expired or not yet valid. It is NOT registered to any account (the service answers 401
        ``certificate-unknown`` if the handshake succeeds). Needs the ``cryptography`` package.
        """
        import datetime

        from cryptography import x509
        from cryptography.hazmat.primitives import hashes, serialization
        from cryptography.hazmat.primitives.asymmetric import ec, rsa
        from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

        now = datetime.datetime.now(datetime.timezone.utc)
        not_before = not_before or now - datetime.timedelta(days=1)
        not_after = not_after or now + datetime.timedelta(days=30)
        with open(os.path.join(self.data_dir, "ca", "ca.key.pem"), "rb") as f:
            ca_key = serialization.load_pem_private_key(f.read(), password=None)
        with open(self.ca_cert, "rb") as f:
            ca = x509.load_pem_x509_certificate(f.read())
        key = ec.generate_private_key(ec.SECP256R1()) if key_type == "ec" else \
            rsa.generate_private_key(public_exponent=65537, key_size=2048)
        cert = (x509.CertificateBuilder()
                .subject_name(x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, common_name)]))
                .issuer_name(ca.subject).public_key(key.public_key())
                .serial_number(x509.random_serial_number())
                .not_valid_before(not_before).not_valid_after(not_after)
                .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
                .add_extension(x509.ExtendedKeyUsage([ExtendedKeyUsageOID.CLIENT_AUTH]), critical=False)
                .sign(ca_key, hashes.SHA256()))
        os.makedirs(self._identities, exist_ok=True)
        base = os.path.join(self._identities, "forged-" + uuid.uuid4().hex)
        with open(base + ".key.pem", "wb") as f:
            f.write(key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                      serialization.NoEncryption()))
        os.chmod(base + ".key.pem", 0o600)
        with open(base + ".cert.pem", "wb") as f:
            f.write(cert.public_bytes(serialization.Encoding.PEM))
        return Identity(base + ".cert.pem", base + ".key.pem")

    def professional_identity(self, **kwargs) -> tuple:
        """Creates a professional and enrolls a certificate: returns ``(Professional, Identity)``."""
        professional = self.create_professional(**kwargs)
        return professional, self.enroll(professional.withdrawal_code)

    def raw_request(self, method: str, path: str, body: Optional[bytes] = None, headers: Optional[dict] = None,
                    identity: Optional[Identity] = None, enrollment: bool = False,
                    context: Optional[ssl.SSLContext] = None, timeout: float = 30.0) -> HTTPResponse:
        """One HTTPS request on a new connection (FHIR listener, or the enrollment one)."""
        port = self.enrollment_port if enrollment else self.fhir_port
        connection = http.client.HTTPSConnection(self.host, port, timeout=timeout,
                                                 context=context or self.ssl_context(identity))
        try:
            connection.request(method, path, body=body, headers=headers or {})
            response = connection.getresponse()
            data = response.read()
            return HTTPResponse(response.status, {k.lower(): v for k, v in response.getheaders()}, data)
        finally:
            connection.close()

    def request(self, method: str, path: str, resource: Any = None, identity: Optional[Identity] = None,
                headers: Optional[dict] = None) -> HTTPResponse:
        """A FHIR request over mutual TLS; ``resource`` (dict) is sent as application/fhir+json.

        ``path`` is relative to the FHIR base (``Patient/…``) or absolute (``/fhir/…``, ``/oauth/token``).
        """
        if not path.startswith("/"):
            path = "/fhir/" + path
        all_headers = {"Accept": "application/fhir+json"}
        body = None
        if resource is not None:
            body = json.dumps(resource).encode("utf-8")
            all_headers["Content-Type"] = "application/fhir+json"
        all_headers.update(headers or {})
        return self.raw_request(method, path, body=body, headers=all_headers, identity=identity)


    # ----------------------------------------------------------------- share codes over HTTP

    def lookup_share_code(self, identity: Identity, code: str) -> dict:
        """``$share-code-lookup`` as ``identity``: {pseudonym: candidate id}; raises on failure."""
        response = self.request("POST", "$share-code-lookup", parameters(code=code), identity=identity)
        if response.status != 200:
            raise SandboxError(f"share-code lookup failed: {response.status} {response.body[:300]!r}")
        result = {}
        for parameter in response.json().get("parameter", []):
            parts = {p["name"]: p["valueString"] for p in parameter["part"]}
            result[parts["pseudonym"]] = parts["id"]
        return result

    def claim_carnet(self, identity: Identity, code: str, pseudonym: str, birth_date: str) -> dict:
        """Lookup + ``$record-claim``: gives ``identity``'s professional access; returns the Patient."""
        candidate = self.lookup_share_code(identity, code)[pseudonym]
        response = self.request("POST", "$record-claim",
                                parameters(code=code, candidate=candidate, birthDate=birth_date), identity=identity)
        if response.status != 200:
            raise SandboxError(f"claim failed: {response.status} {response.body[:300]!r}")
        return response.json()


# ----------------------------------------------------------------------- FHIR documents


def patient_resource(given: str = "Louise", family: str = "Bernard", birth_date: str = "2019-04-02",
                     gender: str = "female", email: Optional[str] = None, ins: Optional[str] = None,
                     pseudonym: Optional[str] = None) -> dict:
    """A Patient (carnet) as a host creates it: names, birth date, gender, email, optional test INS."""
    resource = {
        "resourceType": "Patient",
        "name": [{"family": family, "given": [given]}],
        "gender": gender,
        "birthDate": birth_date,
        "telecom": [{"system": "email", "value": email or f"patient-{uuid.uuid4().hex[:8]}@example.org"}],
    }
    if ins:
        resource["identifier"] = [{"system": "urn:oid:1.2.250.1.213.1.4.10", "value": ins}]
    if pseudonym:
        resource["extension"] = [{"url": PSEUDONYM_EXTENSION, "valueString": pseudonym}]
    return resource


def immunization_resource(carnet_id: str, cis: str = "60004505", date: str = "2024-10-15",
                          identifier: Optional[str] = None,
                          identifier_system: str = "urn:carnet:host:test-ehr:vaccination",
                          display: str = "AGRIPPAL, suspension injectable en seringue préremplie",
                          lot: Optional[str] = None) -> dict:
    """An Immunization as a host pushes it (its own vaccination id as identifier)."""
    resource = {
        "resourceType": "Immunization",
        "identifier": [{"system": identifier_system, "value": identifier or uuid.uuid4().hex}],
        "status": "completed",
        "vaccineCode": {"coding": [{"system": CIS_SYSTEM, "code": cis, "display": display}]},
        "patient": {"reference": f"Patient/{carnet_id}"},
        "occurrenceDateTime": date,
        "primarySource": True,
    }
    if lot:
        resource["lotNumber"] = lot
    return resource


def parameters(**values: str) -> dict:
    """A FHIR Parameters resource of valueString parameters (share-code operations)."""
    return {"resourceType": "Parameters",
            "parameter": [{"name": name, "valueString": value} for name, value in values.items()]}


def outcome_code(body: Any) -> Optional[str]:
    """The sandbox's machine code (issue.details.coding.code) of an OperationOutcome."""
    try:
        return body["issue"][0]["details"]["coding"][0]["code"]
    except (KeyError, IndexError, TypeError):
        return None
