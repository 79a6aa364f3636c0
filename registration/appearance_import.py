"""Importing E-28 appearance records from CSV: from the command line and the admin page."""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field
from typing import TextIO

from sqlalchemy import select

from app import audit, db
from app.users import User
from registration.appearances import AppearanceError, build_appearance
from registration.models import Appearance

CSV_HEADER = ["a_number", "attorney_name", "bar_state", "bar_number", "eoir_id", "filed_on"]
# An export of a field office's E-28s for a year is well under this (about 80 bytes a row).
MAX_UPLOAD_BYTES = 5 * 1024 * 1024


class ImportFileError(ValueError):
    """The file as a whole cannot be read as our CSV; the message says why."""


@dataclass
class ImportReport:
    added: int = 0
    duplicates: int = 0
    errors: list[str] = field(default_factory=list)  # "line N: problem"
    # False when bad rows stopped an all-or-nothing import: ``added`` is then what would have
    # been added.
    applied: bool = True

    @property
    def refused(self) -> int:
        return len(self.errors)


def decode_upload(data: bytes) -> str:
    """The text of an uploaded CSV: UTF-8, with or without the byte-order mark spreadsheets add."""
    if not data.strip():
        raise ImportFileError("The file is empty.")
    if b"\x00" in data[:4096]:
        raise ImportFileError("This is not a CSV file (it holds binary data). Save it as CSV.")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise ImportFileError(
            f"The file is not UTF-8 text (byte {exc.start} is not). Save it as “CSV UTF-8”."
        ) from None


def import_csv(
    stream: TextIO,
    actor_label: str | None = "cli",
    *,
    actor: User | None = None,
    import_name: str | None = None,
    all_or_nothing: bool = False,
) -> ImportReport:
    """Import records, reporting each bad row by line. By default bad rows are skipped and good
    ones kept; ``all_or_nothing`` keeps none while any row is bad.

    Re-importing the same file adds nothing (records are matched on their natural key).
    """
    report = ImportReport()
    records = _read(stream, report, import_name)
    if all_or_nothing and report.errors:
        report.applied = False
        db.session.rollback()
    else:
        db.session.add_all(records)
    audit.record(
        "appearance.import",
        actor=actor,
        actor_label=actor_label,
        outcome="success" if report.applied else "refused",
        added=report.added if report.applied else 0,
        duplicates=report.duplicates,
        errors=len(report.errors),
        file=(import_name or "")[:200],
    )
    db.session.commit()
    return report


def _read(stream: TextIO, report: ImportReport, import_name: str | None) -> list[Appearance]:
    reader = csv.DictReader(stream)
    try:
        header = [h.strip().lower() for h in (reader.fieldnames or [])]
    except csv.Error as exc:
        report.errors.append(f"line 1: not readable as CSV ({exc})")
        return []
    if header != CSV_HEADER:
        report.errors.append(f"line 1: header must be {','.join(CSV_HEADER)}")
        return []
    reader.fieldnames = header
    seen: set[str] = set()
    existing = set(db.session.scalars(select(Appearance.natural_key)))
    records: list[Appearance] = []
    while True:
        try:
            row = next(reader)
        except StopIteration:
            break
        except csv.Error as exc:
            report.errors.append(f"line {reader.line_num}: not readable as CSV ({exc})")
            break
        line = reader.line_num
        if None in row or any(v is None for v in row.values()):
            report.errors.append(f"line {line}: expected {len(CSV_HEADER)} columns")
            continue
        try:
            record = build_appearance(**{k: row[k] for k in CSV_HEADER}, source="import")
        except AppearanceError as exc:
            report.errors.append(f"line {line}: {exc}")
            continue
        if record.natural_key in existing or record.natural_key in seen:
            report.duplicates += 1
            continue
        seen.add(record.natural_key)
        record.import_name = (import_name or "")[:200] or None
        records.append(record)
        report.added += 1
    return records


def import_upload(admin: User, data: bytes, filename: str) -> ImportReport:
    """An administrator's upload: all or nothing, so a file is either on record whole or not at
    all, and the same file, corrected, can simply be uploaded again."""
    if len(data) > MAX_UPLOAD_BYTES:
        raise ImportFileError(
            f"The file is {len(data) / 1_048_576:.1f} MB; at most "
            f"{MAX_UPLOAD_BYTES // 1_048_576} MB can be imported at once. Split it into parts."
        )
    text = decode_upload(data)
    return import_csv(
        io.StringIO(text, newline=""),
        actor_label=None,
        actor=admin,
        import_name=filename,
        all_or_nothing=True,
    )
