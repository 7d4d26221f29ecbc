"""A fault-injecting HTTPS proxy between libcarnet and carnet-sandbox, on loopback.

Two proxies, for the two layers where things break:

``FaultProxy`` (HTTP level) terminates TLS with its own certificate (its own CA, which the test
adds to the library's ``ca_bundle_path`` next to the sandbox CA: ``proxy.ca_bundle``), reads each
HTTP/1.1 request on a kept-alive connection, forwards it to the sandbox over mutual TLS with the
professional's own certificate and key (PEM files; the sandbox identifies the professional by
that certificate, exactly as if the library had connected directly), and answers. Scripted
faults apply to the next requests matching a method and a path pattern:

- ``drop_before``   read the request, close the connection: the service never saw it;
- ``drop_after``    forward it (the service acts), close without answering;
- ``reset_mid``     forward it, send half of the answer, then a TCP reset (SO_LINGER 0);
- ``delay``         forward it, wait ``seconds`` before answering (past the library's timeout);
- ``status``        answer ``code`` (500, 502, 503, 429...) with an OperationOutcome and an optional
                    ``Retry-After``; ``forward=True`` sends the request upstream first (the service
                    acted, the answer was lost behind a gateway error);
- ``truncate``      forward it, send the headers (true Content-Length) and half the body, close;
- ``garble``        forward it, send a complete HTTP answer whose JSON body is cut in half
                    (Content-Length consistent with the cut body). Both forward the request
                    without its ``Prefer`` header, so that the service answers with a body.

``TCPFaultProxy`` (TCP level) passes bytes through untouched (TLS end to end between the library
and the sandbox); it can reset the next ``n`` connections at accept, or after the first bytes
from the server (mid-handshake).

Both record what they saw (``proxy.seen``: method, path, fault) so tests can count requests.
Only the Python standard library and ``cryptography`` (already a test dependency) are used.
"""
from __future__ import annotations

import datetime
import http.client
import json
import os
import re
import socket
import ssl
import struct
import threading
import time


def make_server_identity(directory: str) -> tuple[str, str, str]:
    """A throwaway CA and a server certificate for 127.0.0.1 (SAN IP and DNS). Returns (ca, cert, key)."""
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID
    import ipaddress

    os.makedirs(directory, exist_ok=True)
    now = datetime.datetime.now(datetime.timezone.utc)
    ca_key = ec.generate_private_key(ec.SECP256R1())
    ca_name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "Carnet fault proxy CA")])
    ca = (x509.CertificateBuilder().subject_name(ca_name).issuer_name(ca_name).public_key(ca_key.public_key())
          .serial_number(x509.random_serial_number())
          .not_valid_before(now - datetime.timedelta(days=1)).not_valid_after(now + datetime.timedelta(days=30))
          .add_extension(x509.BasicConstraints(ca=True, path_length=0), critical=True)
          .add_extension(x509.KeyUsage(digital_signature=True, content_commitment=False, key_encipherment=False,
                                       data_encipherment=False, key_agreement=False, key_cert_sign=True,
                                       crl_sign=True, encipher_only=False, decipher_only=False), critical=True)
          .add_extension(x509.SubjectKeyIdentifier.from_public_key(ca_key.public_key()), critical=False)
          .sign(ca_key, hashes.SHA256()))
    key = ec.generate_private_key(ec.SECP256R1())
    cert = (x509.CertificateBuilder()
            .subject_name(x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "127.0.0.1")]))
            .issuer_name(ca_name).public_key(key.public_key()).serial_number(x509.random_serial_number())
            .not_valid_before(now - datetime.timedelta(days=1)).not_valid_after(now + datetime.timedelta(days=30))
            .add_extension(x509.SubjectAlternativeName([x509.IPAddress(ipaddress.ip_address("127.0.0.1")),
                                                        x509.DNSName("localhost")]), critical=False)
            .add_extension(x509.ExtendedKeyUsage([ExtendedKeyUsageOID.SERVER_AUTH]), critical=False)
            .add_extension(x509.AuthorityKeyIdentifier.from_issuer_public_key(ca_key.public_key()), critical=False)
            .sign(ca_key, hashes.SHA256()))
    paths = tuple(os.path.join(directory, n) for n in ("proxy-ca.pem", "proxy-cert.pem", "proxy-key.pem"))
    with open(paths[0], "wb") as f:
        f.write(ca.public_bytes(serialization.Encoding.PEM))
    with open(paths[1], "wb") as f:
        f.write(cert.public_bytes(serialization.Encoding.PEM))
    with open(paths[2], "wb") as f:
        f.write(key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                  serialization.NoEncryption()))
    os.chmod(paths[2], 0o600)
    return paths


def identity_from_p12(p12_path: str, password: str, directory: str) -> tuple[str, str]:
    """PEM certificate (with chain) and key files from a PKCS#12, for the proxy's upstream side."""
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.serialization import pkcs12

    with open(p12_path, "rb") as f:
        key, cert, chain = pkcs12.load_key_and_certificates(f.read(), password.encode())
    os.makedirs(directory, exist_ok=True)
    cert_path = os.path.join(directory, "upstream-cert.pem")
    key_path = os.path.join(directory, "upstream-key.pem")
    with open(cert_path, "wb") as f:
        f.write(cert.public_bytes(serialization.Encoding.PEM))
        for extra in chain or []:
            f.write(extra.public_bytes(serialization.Encoding.PEM))
    with open(key_path, "wb") as f:
        f.write(key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                  serialization.NoEncryption()))
    os.chmod(key_path, 0o600)
    return cert_path, key_path


class Rule:
    def __init__(self, method, path, kind, times, **params):
        self.method = method
        self.path = re.compile(path)
        self.kind = kind
        self.remaining = times
        self.params = params

    def matches(self, method, path, body=b""):
        pattern = self.params.get("body")
        return (self.remaining > 0 and (self.method is None or self.method == method) and self.path.search(path)
                and (pattern is None or re.search(pattern, body)))


def _reset(sock):
    """Closes with a TCP RST rather than a FIN."""
    try:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
    except OSError:
        pass
    try:
        sock.close()
    except OSError:
        pass


class _LoopbackProxy:
    """What both proxies share: a listening socket and a context-manager lifetime."""

    def close(self):
        self.running = False
        try:
            self.listener.close()
        except OSError:
            pass

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()


class FaultProxy(_LoopbackProxy):
    """See the module docstring. ``with FaultProxy(sandbox, cert, key, workdir) as proxy: ...``"""

    def __init__(self, upstream_port: int, upstream_ca: str, identity_cert: str, identity_key: str, workdir: str):
        self.upstream_port = upstream_port
        self.workdir = workdir
        ca, cert, key = make_server_identity(workdir)
        self.ca_bundle = os.path.join(workdir, "bundle.pem")
        with open(self.ca_bundle, "wb") as out:
            for path in (ca, upstream_ca):
                with open(path, "rb") as f:
                    out.write(f.read())
        self.server_context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        self.server_context.load_cert_chain(cert, key)
        self.upstream_context = ssl.create_default_context(cafile=upstream_ca)
        self.upstream_context.load_cert_chain(identity_cert, identity_key)
        self.rules: list[Rule] = []
        self.seen: list[tuple[str, str, str]] = []  # (method, path, fault or "ok")
        self.lock = threading.Lock()
        self.listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self.listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self.listener.bind(("127.0.0.1", 0))
        self.listener.listen(64)
        self.port = self.listener.getsockname()[1]
        self.running = True
        self.connections = 0
        self.thread = threading.Thread(target=self._accept_loop, daemon=True)
        self.thread.start()

    @property
    def base_url(self):
        return f"https://127.0.0.1:{self.port}/fhir"

    def inject(self, kind: str, method: str | None = None, path: str = r".", times: int = 1, **params) -> Rule:
        """Applies fault ``kind`` to the next ``times`` requests matching ``method`` and ``path`` (regex),
        and ``body`` (a bytes regex) when given."""
        rule = Rule(method, path, kind, times, **params)
        with self.lock:
            self.rules.append(rule)
        return rule

    def clear(self):
        with self.lock:
            self.rules.clear()

    def count(self, method=None, path=r".", fault=None):
        pattern = re.compile(path)
        with self.lock:
            return sum(1 for m, p, f in self.seen
                       if (method is None or m == method) and pattern.search(p) and (fault is None or f == fault))

    # ------------------------------------------------------------------ serving

    def _accept_loop(self):
        while self.running:
            try:
                raw, _ = self.listener.accept()
            except OSError:
                return
            self.connections += 1
            threading.Thread(target=self._serve, args=(raw,), daemon=True).start()

    def _take_rule(self, method, path, body):
        with self.lock:
            for rule in self.rules:
                if rule.matches(method, path, body):
                    rule.remaining -= 1
                    return rule
        return None

    def _serve(self, raw):
        try:
            conn = self.server_context.wrap_socket(raw, server_side=True)
        except (OSError, ssl.SSLError):
            raw.close()
            return
        upstream = None
        reader = conn.makefile("rb")
        try:
            while self.running:
                request = self._read_request(reader)
                if request is None:
                    break
                method, target, headers, body = request
                rule = self._take_rule(method, target, body)
                kind = rule.kind if rule else "ok"
                with self.lock:
                    self.seen.append((method, target, kind))
                if kind == "drop_before":
                    _reset(conn)
                    return
                if kind == "status" and not rule.params.get("forward"):
                    conn.sendall(self._outcome(rule.params["code"], rule.params.get("retry_after")))
                    continue
                if kind in ("truncate", "garble"):
                    # The answer must have a body to cut: these faults play a gateway or a service
                    # that does not honour `Prefer: return=minimal` (a preference, RFC 7240).
                    headers = [(k, v) for k, v in headers if k.lower() != "prefer"]
                if upstream is None:
                    upstream = http.client.HTTPSConnection("127.0.0.1", self.upstream_port,
                                                           context=self.upstream_context, timeout=60)
                try:
                    status, reason, up_headers, up_body = self._forward(upstream, method, target, headers, body)
                except (OSError, http.client.HTTPException):
                    upstream.close()
                    upstream = None
                    _reset(conn)
                    return
                answer_headers = [(k, v) for k, v in up_headers
                                  if k.lower() not in ("transfer-encoding", "connection", "content-length")]
                if kind == "drop_after":
                    _reset(conn)
                    return
                if kind == "status":
                    conn.sendall(self._outcome(rule.params["code"], rule.params.get("retry_after")))
                    continue
                if kind == "delay":
                    time.sleep(rule.params["seconds"])
                if kind == "garble":
                    up_body = up_body[: len(up_body) // 2]
                head = self._head(status, reason, answer_headers, len(up_body))
                if kind == "reset_mid":
                    data = head + up_body
                    conn.sendall(data[: max(1, len(data) // 2)])
                    time.sleep(0.05)
                    _reset(conn)
                    return
                if kind == "truncate":
                    conn.sendall(head + up_body[: len(up_body) // 2])
                    conn.close()
                    return
                conn.sendall(head + up_body)
        except (OSError, ssl.SSLError):
            pass
        finally:
            if upstream is not None:
                upstream.close()
            try:
                conn.close()
            except OSError:
                pass

    @staticmethod
    def _read_request(reader):
        line = reader.readline(65536)
        if not line:
            return None
        parts = line.decode("latin-1").strip().split(" ")
        if len(parts) != 3:
            return None
        method, target, _ = parts
        headers = []
        length = 0
        while True:
            h = reader.readline(65536)
            if not h or h in (b"\r\n", b"\n"):
                break
            name, _, value = h.decode("latin-1").partition(":")
            headers.append((name.strip(), value.strip()))
            if name.strip().lower() == "content-length":
                length = int(value.strip())
        body = reader.read(length) if length else b""
        return method, target, headers, body

    @staticmethod
    def _forward(upstream, method, target, headers, body):
        skip = {"host", "connection", "content-length", "expect"}
        upstream.putrequest(method, target, skip_host=True, skip_accept_encoding=True)
        upstream.putheader("Host", f"127.0.0.1:{upstream.port}")
        for name, value in headers:
            if name.lower() not in skip:
                upstream.putheader(name, value)
        if body or method in ("POST", "PUT"):
            upstream.putheader("Content-Length", str(len(body)))
        upstream.endheaders(body if body else None)
        response = upstream.getresponse()
        data = response.read()
        return response.status, response.reason, response.getheaders(), data

    @staticmethod
    def _head(status, reason, headers, length):
        lines = [f"HTTP/1.1 {status} {reason}"] + [f"{k}: {v}" for k, v in headers]
        lines.append(f"Content-Length: {length}")
        return ("\r\n".join(lines) + "\r\n\r\n").encode("latin-1")

    @staticmethod
    def _outcome(code, retry_after=None):
        body = json.dumps({"resourceType": "OperationOutcome",
                           "issue": [{"severity": "error", "code": "transient" if code >= 500 else "throttled",
                                      "diagnostics": "injected by the fault proxy"}]}).encode()
        reasons = {429: "Too Many Requests", 500: "Internal Server Error", 502: "Bad Gateway",
                   503: "Service Unavailable", 504: "Gateway Timeout"}
        headers = [("Content-Type", "application/fhir+json")]
        if retry_after is not None:
            headers.append(("Retry-After", str(retry_after)))
        return FaultProxy._head(code, reasons.get(code, "Error"), headers, len(body)) + body


class TCPFaultProxy(_LoopbackProxy):
    """Passes bytes through between the library and the sandbox (TLS end to end).

    ``reset_next(n)`` resets the next ``n`` connections as soon as they are accepted;
    ``reset_after_server_bytes(n)`` lets the next ``n`` connections start their handshake and
    resets them after the server's first bytes (mid-handshake).
    """

    def __init__(self, upstream_port: int):
        self.upstream_port = upstream_port
        self.listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self.listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self.listener.bind(("127.0.0.1", 0))
        self.listener.listen(64)
        self.port = self.listener.getsockname()[1]
        self.lock = threading.Lock()
        self.reset_at_accept = 0
        self.reset_mid_handshake = 0
        self.connections = 0
        self.faulted = 0
        self.live: set = set()
        self.running = True
        threading.Thread(target=self._accept_loop, daemon=True).start()

    @property
    def base_url(self):
        return f"https://127.0.0.1:{self.port}/fhir"

    def reset_next(self, n):
        with self.lock:
            self.reset_at_accept += n

    def reset_live(self):
        """Resets every connection passing through now (kept-alive ones included)."""
        with self.lock:
            live, self.live = list(self.live), set()
        for sock in live:
            _reset(sock)

    def reset_after_server_bytes(self, n):
        with self.lock:
            self.reset_mid_handshake += n

    def _accept_loop(self):
        while self.running:
            try:
                client, _ = self.listener.accept()
            except OSError:
                return
            with self.lock:
                self.connections += 1
                mode = None
                if self.reset_at_accept > 0:
                    self.reset_at_accept -= 1
                    mode = "accept"
                elif self.reset_mid_handshake > 0:
                    self.reset_mid_handshake -= 1
                    mode = "handshake"
                if mode:
                    self.faulted += 1
            if mode == "accept":
                _reset(client)
                continue
            threading.Thread(target=self._pipe, args=(client, mode), daemon=True).start()

    def _pipe(self, client, mode):
        try:
            server = socket.create_connection(("127.0.0.1", self.upstream_port))
        except OSError:
            _reset(client)
            return
        with self.lock:
            self.live.update((client, server))
        done = threading.Event()

        def pump(src, dst, cut_after_first):
            try:
                while not done.is_set():
                    data = src.recv(65536)
                    if not data:
                        break
                    dst.sendall(data)
                    if cut_after_first:
                        break
            except OSError:
                pass
            done.set()
            _reset(client)
            _reset(server)

        threading.Thread(target=pump, args=(client, server, False), daemon=True).start()
        pump(server, client, mode == "handshake")
