"""The USWDS assets: served from ESERVICE_USWDS_DIR when present, pages usable without them,
and fetched from npm only when the tarball is the pinned one."""

from __future__ import annotations

import stat
from pathlib import Path

import pytest

from app import assets, create_app
from tests.conftest import make_env


def _fake_assets(folder: Path) -> Path:
    for part in ("css/uswds.min.css", "js/uswds.min.js", "js/uswds-init.min.js"):
        (folder / part).parent.mkdir(parents=True, exist_ok=True)
        (folder / part).write_text("/* uswds */")
    return folder


def _client(tmp_path: Path, uswds: Path):  # type: ignore[no-untyped-def]
    env = make_env(tmp_path, f"sqlite:///{tmp_path}/unused.db", ESERVICE_USWDS_DIR=str(uswds))
    return create_app(env=env).test_client()


def test_pages_work_without_the_assets(tmp_path: Path) -> None:
    page = _client(tmp_path, tmp_path / "none").get("/help")
    html = page.get_data(as_text=True)
    assert page.status_code == 200
    assert "uswds.min.css" not in html and "usa-menu-btn" not in html  # no dead links
    assert 'href="/login"' in html  # the menu is there, a plain list
    assert "An official website of the United States government" in html


def test_assets_are_served_from_the_configured_folder(tmp_path: Path) -> None:
    client = _client(tmp_path, _fake_assets(tmp_path / "uswds"))
    html = client.get("/help").get_data(as_text=True)
    assert '<link rel="stylesheet" href="/static/uswds/css/uswds.min.css">' in html
    assert 'src="/static/uswds/js/uswds.min.js"' in html and "usa-menu-btn" in html
    with client.get("/static/uswds/css/uswds.min.css") as response:
        assert response.status_code == 200 and response.get_data(as_text=True) == "/* uswds */"
    assert client.get("/static/uswds/../../config/__init__.py").status_code == 404


def _fake_npm(tmp_path: Path, tarball_bytes: bytes) -> str:
    """An npm that 'packs' the given bytes, as npm pack --json reports."""
    data = tmp_path / "fake.tgz"
    data.write_bytes(tarball_bytes)
    script = tmp_path / "npm"
    script.write_text(
        "#!/bin/sh\n"
        f'cp {data} "$5/uswds-uswds-{assets.USWDS_VERSION}.tgz"\n'
        f'echo \'[{{"filename": "uswds-uswds-{assets.USWDS_VERSION}.tgz"}}]\'\n'
    )
    script.chmod(script.stat().st_mode | stat.S_IEXEC)
    return str(script)


def test_a_tarball_other_than_the_pinned_one_is_refused(tmp_path: Path) -> None:
    target = _fake_assets(tmp_path / "uswds")
    npm = _fake_npm(tmp_path, b"not the USWDS release")
    with pytest.raises(assets.AssetsError, match="does not match its integrity"):
        assets.install(target, npm=npm)
    assert (target / "css/uswds.min.css").read_text() == "/* uswds */"  # left as it was


def test_without_npm_install_says_what_to_do(tmp_path: Path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setattr(assets.shutil, "which", lambda _name: None)
    with pytest.raises(assets.AssetsError, match="apt-get install npm"):
        assets.install(tmp_path / "uswds")
    assert not (tmp_path / "uswds").exists()


def test_the_test_copy_is_complete(uswds_dir: Path) -> None:
    assert assets.is_installed(uswds_dir)
    assert (uswds_dir / "img" / "us_flag_small.png").is_file()
    assert (uswds_dir / "fonts").is_dir()
