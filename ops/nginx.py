"""nginx in front of gunicorn: the site configuration a municipality deploys
(`ops/nginx.conf.template`, shown in docs/deploy.md) and a throwaway nginx running exactly
that text in a folder of our own, with a self-signed certificate, for tests and benchmarks.

`python -m ops.nginx --server-name veldwacht.gemeente.nl` prints the site configuration."""

from __future__ import annotations

import argparse
import datetime
import ipaddress
import re
import subprocess
from dataclasses import dataclass
from pathlib import Path

from ops.servers import _wait_for_port, free_port, program

TEMPLATE = Path(__file__).with_name("nginx.conf.template")
PLACEHOLDER = re.compile(r"\{\{ (\w+) \}\}")
DEFAULTS = {
    "server_name": "veldwacht.gemeente.example",
    "listen": "443",
    "http_listen": "80",
    "upstream": "127.0.0.1:5000",
    "certificate": "/etc/ssl/certs/veldwacht.pem",
    "certificate_key": "/etc/ssl/private/veldwacht.key",
}


def site_config(**values: str) -> str:
    """The template with its placeholders filled in (DEFAULTS for those not given)."""
    unknown = set(values) - set(DEFAULTS)
    if unknown:
        raise TypeError(f"not in the template: {', '.join(sorted(unknown))}")
    filled = {**DEFAULTS, **values}
    return PLACEHOLDER.sub(lambda found: filled[found[1]], TEMPLATE.read_text())


def standalone_config(folder: Path, site: str) -> str:
    """A whole nginx.conf around `site` that keeps every file in `folder` and stays in the
    foreground as one process (so a test can stop it, and it leaves nothing behind)."""
    temp = " ".join(
        f"{kind}_temp_path {folder / kind};" for kind in ("client_body", "proxy", "fastcgi")
    )
    return (
        f"daemon off;\nmaster_process off;\npid {folder / 'nginx.pid'};\n"
        f"error_log {folder / 'error.log'};\nevents {{}}\n"
        f"http {{\naccess_log off;\n{temp}\n"
        f"uwsgi_temp_path {folder / 'uwsgi'}; scgi_temp_path {folder / 'scgi'};\n"
        f"{site}}}\n"
    )


def self_signed_certificate(folder: Path, host: str = "127.0.0.1") -> tuple[Path, Path]:
    """A certificate for `host` valid for a day, and its key (cryptography comes with
    pywebpush's VAPID keys, so no openssl call is needed)."""
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import NameOID

    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, host)])
    now = datetime.datetime.now(datetime.UTC)
    certificate = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(minutes=5))
        .not_valid_after(now + datetime.timedelta(days=1))
        .add_extension(
            x509.SubjectAlternativeName([x509.IPAddress(ipaddress.ip_address(host))]),
            critical=False,
        )
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .sign(key, hashes.SHA256())
    )
    cert_path, key_path = folder / "cert.pem", folder / "key.pem"
    cert_path.write_bytes(certificate.public_bytes(serialization.Encoding.PEM))
    key_path.write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    )
    key_path.chmod(0o600)
    return cert_path, key_path


@dataclass
class Nginx:
    """The site configuration served on loopback by an nginx of our own in `folder`, with TLS
    on `port` and the redirect on `http_port`, relaying to `upstream` (host:port)."""

    folder: Path
    upstream: str
    port: int = 0
    http_port: int = 0
    process: subprocess.Popen | None = None

    @property
    def url(self) -> str:
        return f"https://127.0.0.1:{self.port}"

    @property
    def ws_url(self) -> str:
        return f"wss://127.0.0.1:{self.port}/ws"

    @property
    def certificate(self) -> Path:
        return self.folder / "cert.pem"  # the certificate is its own CA: verify against it

    def start(self) -> Nginx:
        self.folder.mkdir(parents=True, exist_ok=True)
        self.port = self.port or free_port()
        self.http_port = self.http_port or free_port()
        cert, key = self_signed_certificate(self.folder)
        site = site_config(
            server_name="127.0.0.1",
            listen=f"127.0.0.1:{self.port}",
            http_listen=f"127.0.0.1:{self.http_port}",
            upstream=self.upstream,
            certificate=str(cert),
            certificate_key=str(key),
        )
        conf = self.folder / "nginx.conf"
        conf.write_text(standalone_config(self.folder, site))
        command = [program("nginx"), "-c", str(conf), "-p", str(self.folder)]
        command += ["-e", str(self.folder / "error.log")]
        checked = subprocess.run([*command, "-t"], capture_output=True, text=True)
        if checked.returncode:
            raise RuntimeError(f"nginx refused its configuration:\n{checked.stderr}")
        # Output to a file: a pipe the test never reads could fill, or be held open.
        with open(self.folder / "nginx.out", "ab") as out:
            self.process = subprocess.Popen(
                command, stdout=out, stderr=subprocess.STDOUT, start_new_session=True
            )
        _wait_for_port(self.port, "nginx")
        return self

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()  # fast shutdown: open websockets are simply closed
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(timeout=10)


def main() -> None:
    parser = argparse.ArgumentParser(description="Print Veldwacht's nginx site configuration.")
    for name, default in DEFAULTS.items():
        parser.add_argument("--" + name.replace("_", "-"), default=default, metavar=name.upper())
    print(site_config(**vars(parser.parse_args())), end="")


if __name__ == "__main__":
    main()
