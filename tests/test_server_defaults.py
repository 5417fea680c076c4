"""Issue 16, server defaults: a bare `streamlit run dashboard.py` binds the loopback address,
sends no usage statistics, shows no error details and a minimal toolbar; `make install` pins
the uv it installs."""

from __future__ import annotations

import re
import tomllib

from tracker.config import PROJECT_ROOT


def test_committed_streamlit_config_keeps_the_dashboard_private() -> None:
    config = tomllib.loads((PROJECT_ROOT / ".streamlit" / "config.toml").read_text())
    assert config["server"]["address"] == "127.0.0.1"
    assert config["browser"]["gatherUsageStats"] is False
    assert config["client"]["showErrorDetails"] == "none"
    assert config["client"]["toolbarMode"] == "minimal"


def test_streamlit_reads_those_defaults_from_the_project_folder(monkeypatch) -> None:  # type: ignore[no-untyped-def]
    from streamlit import config

    monkeypatch.chdir(PROJECT_ROOT)
    config.get_config_options(force_reparse=True)
    try:
        assert config.get_option("server.address") == "127.0.0.1"
        assert config.get_option("browser.gatherUsageStats") is False
        assert config.get_option("client.showErrorDetails") == "none"
    finally:
        monkeypatch.undo()
        config.get_config_options(force_reparse=True)


def test_the_makefile_pins_the_uv_it_installs() -> None:
    makefile = (PROJECT_ROOT / "Makefile").read_text()
    assert re.search(r"^UV_VERSION := \d+\.\d+\.\d+$", makefile, re.MULTILINE)
    assert 'pip install --quiet "uv==$(UV_VERSION)"' in makefile
    assert re.search(r"pip install[^\n]* uv\s*$", makefile, re.MULTILINE) is None
