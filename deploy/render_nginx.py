"""Write deploy/nginx.conf with its blanks filled in: where nginx listens, where gunicorn is, the
app's body limits and the client timeouts.

    python3 deploy/render_nginx.py --listen 443 --upstream 127.0.0.1:8000 \\
        --tls-certificate /etc/ssl/eservice.pem --tls-key /etc/ssl/private/eservice.key \\
        --user www-data > /etc/eservice/nginx.conf

The upload limit follows ESERVICE_MAX_FILING_MB (as the app's does) unless given.
"""

from __future__ import annotations

import argparse
import os
import re
import sys
from pathlib import Path

TEMPLATE = Path(__file__).with_name("nginx.conf")
# The most any route but the uploads takes (filings/uploads.py SMALL_BODY_BYTES).
FORM_BODY_KB = 64
# The upload routes take a whole set plus 1 MB of form (config: MAX_CONTENT_LENGTH).
FORM_HEADROOM_MB = 1
CLIENT_TIMEOUT = "15s"


def render(
    listen: str,
    upstream: str,
    *,
    max_filing_mb: int = 100,
    client_timeout: str = CLIENT_TIMEOUT,
    user: str | None = None,
    tls_certificate: str | None = None,
    tls_key: str | None = None,
) -> str:
    """The configuration text; TLS when both a certificate and its key are given."""
    if bool(tls_certificate) != bool(tls_key):
        raise ValueError("give both a TLS certificate and its key, or neither")
    tls = ""
    if tls_certificate:
        listen = f"{listen} ssl"
        tls = (
            f"ssl_certificate {tls_certificate};\n"
            f"        ssl_certificate_key {tls_key};\n"
            "        ssl_protocols TLSv1.2 TLSv1.3;\n"
            "        ssl_session_cache shared:eservice:10m;"
        )
    values = {
        "user": f"user {user};" if user else "# user: nginx's default",
        "listen": listen,
        "tls": tls,
        "upstream": upstream,
        "client_timeout": client_timeout,
        "form_body": f"{FORM_BODY_KB}k",
        "upload_body": f"{max_filing_mb + FORM_HEADROOM_MB}m",
        "filing_mb": str(max_filing_mb),
    }

    def fill(match: re.Match[str]) -> str:
        return values[match.group(1)]

    return re.sub(r"\{\{ (\w+) \}\}", fill, TEMPLATE.read_text())


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--listen", required=True, help="e.g. 443, or 127.0.0.1:8080")
    parser.add_argument("--upstream", required=True, help="gunicorn's address, e.g. 127.0.0.1:8000")
    parser.add_argument(
        "--max-filing-mb",
        type=int,
        default=int(os.environ.get("ESERVICE_MAX_FILING_MB") or 100),
        help="the app's ESERVICE_MAX_FILING_MB (default: from the environment, else 100)",
    )
    parser.add_argument("--client-timeout", default=CLIENT_TIMEOUT)
    parser.add_argument("--user", help="the user nginx's workers run as, e.g. www-data")
    parser.add_argument("--tls-certificate")
    parser.add_argument("--tls-key")
    args = parser.parse_args(argv)
    sys.stdout.write(
        render(
            args.listen,
            args.upstream,
            max_filing_mb=args.max_filing_mb,
            client_timeout=args.client_timeout,
            user=args.user,
            tls_certificate=args.tls_certificate,
            tls_key=args.tls_key,
        )
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
