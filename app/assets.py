"""The U.S. Web Design System assets (CSS, fonts, images, JavaScript), fetched from npm.

They are not in the repository: ``flask --app wsgi assets install`` (or ``demo``) puts the
pinned release's ``dist/css``, ``dist/fonts``, ``dist/img`` and ``dist/js`` into
``app/static/uswds`` (or ``ESERVICE_USWDS_DIR``), once. The pages work without them, plainer.
"""

from __future__ import annotations

import base64
import hashlib
import json
import os
import shutil
import subprocess
import tarfile
import tempfile
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import click
from flask import Flask, current_app, send_from_directory
from flask.cli import AppGroup

USWDS_VERSION = "3.14.0"
# The npm registry's integrity of that release's tarball: a different tarball is refused.
USWDS_INTEGRITY = "sha512-kwZ50TqGszxj3+MQhm+c84hI0y8rIKoc7ZLKbuHg+8rTkFisp9lXOMRD2wclyyuYZahpADxMvaPong7bwL7cew=="  # noqa: E501
PARTS = ("css", "fonts", "img", "js")
DEFAULT_DIR = Path(__file__).parent / "static" / "uswds"
MARKER = "css/uswds.min.css"


class AssetsError(Exception):
    """The assets could not be installed; the message says why and what to do."""


def is_installed(folder: Path) -> bool:
    return (folder / MARKER).is_file() and (folder / "js" / "uswds.min.js").is_file()


def _integrity(path: Path) -> str:
    digest = hashlib.sha512(path.read_bytes()).digest()
    return "sha512-" + base64.b64encode(digest).decode()


def _fetch(workdir: Path, npm: str) -> Path:
    """Download the pinned tarball with npm (its registry, proxy and cache settings)."""
    spec = f"@uswds/uswds@{USWDS_VERSION}"
    done = subprocess.run(  # noqa: S603 -- a fixed command; the version is ours
        [npm, "pack", spec, "--json", "--pack-destination", str(workdir)],
        cwd=workdir,
        capture_output=True,
        text=True,
        timeout=300,
    )
    if done.returncode != 0:
        raise AssetsError(f"npm could not fetch {spec}: {done.stderr.strip()[-500:]}")
    name = json.loads(done.stdout)[0]["filename"]
    return workdir / name


def install(target: Path, npm: str | None = None) -> Path:
    """Put the pinned USWDS release's assets into ``target``; nothing changes on failure."""
    npm = npm or shutil.which("npm")
    if not npm:
        raise AssetsError("npm is not installed (apt-get install npm), so USWDS was not fetched")
    with tempfile.TemporaryDirectory(prefix="uswds-") as tmp:
        work = Path(tmp)
        tarball = _fetch(work, npm)
        if _integrity(tarball) != USWDS_INTEGRITY:
            raise AssetsError(f"the USWDS {USWDS_VERSION} tarball does not match its integrity")
        unpacked = work / "unpacked"
        with tarfile.open(tarball) as tar:
            members = [m for m in tar.getmembers() if m.name.startswith("package/dist/")]
            tar.extractall(unpacked, members=members, filter="data")
        staged = work / "staged"
        for part in PARTS:
            shutil.copytree(unpacked / "package" / "dist" / part, staged / part)
        target.parent.mkdir(parents=True, exist_ok=True)
        old = target.with_name(target.name + ".old")
        shutil.rmtree(old, ignore_errors=True)
        if target.exists():
            target.rename(old)
        shutil.move(str(staged), str(target))
        shutil.rmtree(old, ignore_errors=True)
    return target


def folder_for(app: Flask) -> Path:
    return Path(app.config["USWDS_DIR"])


def init_app(app: Flask, env: Mapping[str, str]) -> None:
    """Serve the assets at /static/uswds/ from ``ESERVICE_USWDS_DIR`` (default in the app)."""
    app.config.setdefault("USWDS_DIR", str(Path(env.get("ESERVICE_USWDS_DIR") or DEFAULT_DIR)))

    # More specific than Flask's /static/<path>, so it wins for this folder.
    @app.route("/static/uswds/<path:filename>", endpoint="uswds")
    def uswds(filename: str) -> Any:
        return send_from_directory(folder_for(app), filename, max_age=86400)

    @app.context_processor
    def uswds_present() -> dict[str, Any]:
        return {"uswds_present": is_installed(folder_for(app))}

    app.cli.add_command(assets_cli)


assets_cli = AppGroup("assets", help="The U.S. Web Design System assets.")


def ensure(app: Flask, echo: Any = click.echo) -> bool:
    """Install the assets when missing; say so. False (and a warning) when they cannot be."""
    folder = folder_for(app)
    if is_installed(folder):
        return True
    echo(f"Installing USWDS {USWDS_VERSION} into {folder} ...")
    try:
        install(folder)
    except (AssetsError, OSError, subprocess.SubprocessError) as exc:
        echo(f"Warning: {exc}. The pages work without it, plainer.", err=True)
        return False
    echo("USWDS assets installed.")
    return True


@assets_cli.command("install")
@click.option("--force", is_flag=True, help="Fetch them again even when present.")
def install_command(force: bool) -> None:
    """Fetch the pinned USWDS release from npm into the static folder, when missing."""
    folder = folder_for(current_app)
    if is_installed(folder) and not force:
        click.echo(f"USWDS assets are already in {folder}.")
        return
    try:
        install(folder)
    except AssetsError as exc:
        raise click.ClickException(str(exc)) from exc
    click.echo(f"USWDS {USWDS_VERSION} installed in {folder}.")


def cache_dir() -> Path:
    """Where the tests keep their own copy, fetched once (``~/.cache/occ-eservice-uswds``)."""
    base = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache")
    return base / "occ-eservice-uswds" / USWDS_VERSION
