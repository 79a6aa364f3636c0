"""Sending one e-mail: over SMTP when ``ESERVICE_SMTP_URL`` is set, else as an .eml file."""

from __future__ import annotations

import os
import smtplib
import ssl
import tempfile
from email.message import EmailMessage
from pathlib import Path
from urllib.parse import unquote, urlsplit

from config import Settings


def send(settings: Settings, message: EmailMessage, file_stem: str) -> None:
    if settings.smtp_url:
        _send_smtp(settings.smtp_url, message)
    else:
        _write_eml(settings.outbox_dir, message, file_stem)


def _write_eml(outbox: Path, message: EmailMessage, file_stem: str) -> None:
    outbox.mkdir(parents=True, exist_ok=True)
    target = outbox / f"{file_stem}.eml"
    fd, tmp = tempfile.mkstemp(dir=outbox, prefix=".writing-")
    with os.fdopen(fd, "wb") as out:
        out.write(message.as_bytes())
        out.flush()
        os.fsync(out.fileno())
    os.replace(tmp, target)  # written once under its own name: a re-run overwrites, not doubles


def open_smtp(url: str, timeout: float = 30) -> smtplib.SMTP:
    """A connected, logged-in SMTP session for ``smtp://`` (STARTTLS when offered) or
    ``smtps://`` URLs."""
    parts = urlsplit(url)
    if parts.scheme not in {"smtp", "smtps"}:
        raise ValueError("ESERVICE_SMTP_URL must start with smtp:// or smtps://")
    host = parts.hostname or "localhost"
    context = ssl.create_default_context()
    smtp: smtplib.SMTP
    if parts.scheme == "smtps":
        smtp = smtplib.SMTP_SSL(host, parts.port or 465, timeout=timeout, context=context)
    else:
        smtp = smtplib.SMTP(host, parts.port or 25, timeout=timeout)
    try:
        smtp.ehlo()
        if parts.scheme == "smtp" and smtp.has_extn("starttls"):
            smtp.starttls(context=context)
            smtp.ehlo()
        if parts.username:
            smtp.login(unquote(parts.username), unquote(parts.password or ""))
    except BaseException:
        smtp.close()
        raise
    return smtp


def _send_smtp(url: str, message: EmailMessage) -> None:
    with open_smtp(url) as smtp:
        smtp.send_message(message)
