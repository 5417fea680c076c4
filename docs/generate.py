"""Write the reference pages from the code's declarations, so that they cannot drift:
docs/reference/settings.md from `tracker.config.SETTINGS`, docs/reference/commands.md from the
Typer app of `tracker` (every command, its arguments and options with their help).

Run `.venv/bin/python docs/generate.py` after changing a setting or a command;
tests/test_docs.py fails while a page is not what this script writes.
"""

from __future__ import annotations

import sys
from pathlib import Path

import click
import typer

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from tracker.cli import app  # noqa: E402
from tracker.config import SETTINGS  # noqa: E402

REFERENCE = ROOT / "docs" / "reference"
NOTICE = "<!-- Written by docs/generate.py from the code's declarations: do not edit. -->"


def _cell(text: str) -> str:
    return " ".join(text.split()).replace("|", "\\|")


def settings_page() -> str:
    lines = [
        NOTICE,
        "",
        "# Settings",
        "",
        "Every setting is an environment variable, declared with its default and its help in "
        "`tracker/config.py`; `tracker` reads them at start. An empty default means unset.",
        "",
        "| setting | default | what it does |",
        "|---|---|---|",
    ]
    for setting in SETTINGS:
        # A default under the project folder is shown relative to it, as on any machine.
        default = setting.default.replace(f"{ROOT}/", "")
        default = f"`{default}`" if default else ""
        lines.append(f"| `{setting.env}` | {default} | {_cell(setting.help)} |")
    return "\n".join(lines) + "\n"


def _usage(command: click.Command, path: str) -> str:
    context = click.Context(command, info_name=path)
    return " ".join(command.collect_usage_pieces(context))


def _parameters(command: click.Command) -> list[str]:
    rows = []
    for param in command.params:
        # Typer's parameters are click's in kind, not always by class: read the kind they say.
        help_text = _cell(getattr(param, "help", None) or "")
        if param.param_type_name == "option":
            if getattr(param, "hidden", False):
                continue
            names = ", ".join(f"`{name}`" for name in [*param.opts, *param.secondary_opts])
            rows.append(f"| {names} | {help_text} |")
        elif param.param_type_name == "argument":
            rows.append(f"| `{(param.name or '').upper()}` | {help_text} |")
    return rows


def commands_page() -> str:
    lines = [
        NOTICE,
        "",
        "# Commands",
        "",
        "Every command of `tracker`, with its arguments and options, as `tracker COMMAND --help` "
        "prints them. What the commands are for is in the guides; the exit status is 0 on "
        "success, 1 when refused (with a message naming what and where) and 2 on a usage error.",
        "",
    ]
    root = typer.main.get_command(app)

    def walk(command: click.Command, path: str) -> None:
        children = getattr(command, "commands", None)
        if children:
            for name in sorted(children):
                if not children[name].hidden:
                    walk(children[name], f"{path} {name}")
            return
        lines.extend([f"## `{path}`", "", _cell(command.help or ""), ""])
        lines.extend([f"`{path} {_usage(command, path)}`", ""])
        rows = _parameters(command)
        if rows:
            lines.extend(["| argument or option | what it does |", "|---|---|", *rows, ""])

    walk(root, "tracker")
    return "\n".join(lines).rstrip() + "\n"


PAGES = {"settings.md": settings_page, "commands.md": commands_page}


def main() -> None:
    REFERENCE.mkdir(parents=True, exist_ok=True)
    for name, page in PAGES.items():
        (REFERENCE / name).write_text(page(), encoding="utf-8")


if __name__ == "__main__":
    main()
