"""Every role × endpoint, read and write, over real HTTP: each token acts exactly as
`--as USER`. Keys of other institutions are refused with the same message whether they exist
or not."""

from __future__ import annotations

import json

import pytest

from tests.api.conftest import USERS, Api
from tracker.access import local_operator
from tracker.users import actor_for
from tracker.writes.quarter import review

MINE = "wigan-council"
THEIRS = "test-valley-council"
MISSING = "no-such-institution"
ROLES = tuple(USERS)
# What each role may read among the keys used here.
READS = {
    "admin": {MINE, THEIRS},
    "evaluator": {MINE},
    "reviewer": {MINE},
    "viewer": {MINE},
    "funder": set(),
    "other": {THEIRS},
}
WRITES = {"admin": {MINE, THEIRS}, "evaluator": {MINE}, "other": {THEIRS}}

EVERYONE = [
    "/v1/me", "/v1/institutions", "/v1/indicators", "/v1/analysis?limit=1",
    "/v1/portfolio-summary", "/v1/audit",
]
# Reads that analyse (about a second each) are asked for one readable and one missing key;
# the others for a readable, another existing and a missing one.
PER_INSTITUTION = [
    *(pytest.param(t, k, id=f"{t}-{k}") for t in (
        "/v1/institutions/{key}/records/indicator_values",
        "/v1/institutions/{key}/records/indicator_values/{key}|staff_turnover|2025Q3",
        "/v1/institutions/{key}/history?indicator=staff_turnover",
        "/v1/institutions/{key}/quarters/2025Q1",
    ) for k in (MINE, THEIRS, MISSING) if not ("records/indicator_values/" in t and k == THEIRS)),
    *(pytest.param(t, k, id=f"{t}-{k}") for t in (
        "/v1/institutions/{key}/analysis",
        "/v1/institutions/{key}/story",
    ) for k in (MINE, MISSING)),
]


def _read_refusal(api: Api, role: str, key: str) -> str:
    return f"{api.user(role)} may not read an institution {key!r}."


def _write_refusal(api: Api, role: str, key: str) -> str:
    name, kind = USERS[role][0], USERS[role][1]
    if kind != "evaluator":
        return f"{name} ({kind}) may read but not write."
    return f"{name} (evaluator) is not assigned to: {key}."


@pytest.mark.parametrize("path", EVERYONE)
@pytest.mark.parametrize("role", ROLES)
def test_every_role_reads_the_lists_of_what_it_may_read(api: Api, role: str, path: str) -> None:
    response = api.get(role, path)
    assert response.status_code == 200, response.text
    assert api.get(None, path).status_code == 401


@pytest.mark.parametrize("role", ROLES)
def test_the_institutions_list_is_the_user_s_scope(api: Api, role: str) -> None:
    keys = {i["record"] for i in api.get(role, "/v1/institutions?limit=1000").json()["items"]}
    if role == "admin":
        assert {MINE, THEIRS} <= keys
    elif role == "funder":
        assert keys and MINE not in keys and "northdale-council" in keys
    else:
        assert keys == READS[role]


@pytest.mark.parametrize(("template", "key"), PER_INSTITUTION)
@pytest.mark.parametrize("role", ROLES)
def test_every_role_reads_an_institution_only_in_its_scope(
    api: Api, role: str, key: str, template: str
) -> None:
    response = api.get(role, template.format(key=key))
    if key in READS[role]:
        assert response.status_code == 200, response.text
    elif role == "admin":
        assert response.status_code == 404, response.text
    else:
        assert response.status_code == 403, response.text
        assert response.headers["content-type"] == "application/problem+json"
        assert response.json()["detail"] == _read_refusal(api, role, key)


def _quarter_set(key: str, period: str = "2031Q1") -> dict[str, object]:
    return {"tables": {"indicator_values": [
        {"institution": key, "indicator": "staff_turnover", "period": period, "value": 11.5},
    ]}}


@pytest.mark.parametrize("key", [MINE, THEIRS, MISSING])
@pytest.mark.parametrize("role", ROLES)
def test_every_role_writes_a_quarter_set_only_in_its_scope(api: Api, role: str, key: str) -> None:
    response = api.post(role, "/v1/quarter-sets?dryRun=true", json=_quarter_set(key))
    if key in WRITES.get(role, set()):
        assert response.status_code == 200, response.text
        assert response.json()["tables"]["indicator_values"]["new"] == 1
    elif role == "admin":  # an unknown institution is a bad row, located
        assert response.status_code == 422, response.text
        assert response.json()["problems"][0]["field"] == "institution"
    else:
        assert response.status_code == 403, response.text
        assert response.json()["detail"] == _write_refusal(api, role, key)


_PERIODS = iter(f"{2040 + n // 4}Q{n % 4 + 1}" for n in range(200))


def _cli_refusal(api: Api, role: str, *args: str) -> str:
    """What `tracker ARGS --as USER` says when it refuses (after "Refused: ")."""
    from typer.testing import CliRunner

    from tracker.cli import app

    ran = CliRunner().invoke(app, [*args, "--db", api.url, "--as", api.user(role)])
    assert ran.exit_code == 1, ran.stdout
    return ran.stderr.strip().removeprefix("Refused: ")


def _quarter_cli(action: str, key: str, period: str, *extra: str) -> list[str]:
    return ["quarter", action, "--institution", key, "--period", period, *extra]


@pytest.mark.parametrize("role", ROLES)
def test_every_role_submits_only_its_own_quarters(api: Api, role: str) -> None:
    answers = {}
    for key in (MINE, THEIRS, MISSING):
        period = next(_PERIODS)
        response = api.post(role, f"/v1/institutions/{key}/quarters/{period}/submit")
        answers[key] = response.json()["detail"] if response.status_code != 200 else None
        if key in WRITES.get(role, set()):
            assert response.status_code == 200, response.text
            assert response.json()["submitted_by"] == api.user(role)
            continue
        assert response.status_code == (409 if role == "admin" else 403), response.text
        # The command line's words for the same refusal.
        assert answers[key] == _cli_refusal(api, role, *_quarter_cli("submit", key, period))
    if role != "admin" and answers[THEIRS] is not None:
        assert answers[THEIRS].replace(THEIRS, "KEY") == answers[MISSING].replace(MISSING, "KEY")


@pytest.mark.parametrize("role", ROLES)
def test_only_reviewers_and_administrators_approve_or_return_a_quarter(
    api: Api, role: str
) -> None:
    ana = actor_for(api.engine, "ana")
    for action, body, to in (("approve", None, "approved"),
                             ("return", {"reason": "typo in Q1?"}, "returned")):
        period = next(_PERIODS)
        review.submit(api.engine, institution=MINE, period=period, actor=ana)
        response = api.post(role, f"/v1/institutions/{MINE}/quarters/{period}/{action}",
                            json=body)
        if role in ("admin", "reviewer"):
            assert response.status_code == 200, response.text
            assert response.json()["state"] == to
        else:
            assert response.status_code == 403, response.text
            extra = ("--reason", "typo in Q1?") if action == "return" else ()
            assert response.json()["detail"] == _cli_refusal(
                api, role, *_quarter_cli(action, MINE, period, *extra))


@pytest.mark.parametrize("role", ROLES)
def test_only_administrators_reopen_a_quarter(api: Api, role: str) -> None:
    period = next(_PERIODS)
    review.submit(api.engine, institution=MINE, period=period, actor=local_operator())
    response = api.post(role, f"/v1/institutions/{MINE}/quarters/{period}/reopen",
                        json={"reason": "late data"})
    if role == "admin":
        assert response.status_code == 200, response.text
        assert response.json()["reopened_by"] == "root"
    else:
        assert response.status_code == 403, response.text
        assert response.json()["detail"] == _cli_refusal(
            api, role, *_quarter_cli("reopen", MINE, period, "--reason", "late data"))


@pytest.mark.parametrize("role", ROLES)
def test_every_role_changes_a_record_only_in_its_scope(api: Api, role: str) -> None:
    path = f"/v1/institutions/{MINE}/records/indicator_values/{MINE}|staff_turnover|2024Q1"
    current = api.get("admin", path)
    body = {"values": current.json()["values"], "reason": "checked, unchanged"}
    response = api.request(role, "PUT", path, json=body,
                           headers={"If-Match": current.headers["ETag"]})
    if MINE in WRITES.get(role, set()):
        assert response.status_code == 200, response.text
    elif MINE in READS[role]:
        assert response.status_code == 403
        assert response.json()["detail"] == _write_refusal(api, role, MINE)
    else:
        assert response.status_code == 403
        assert response.json()["detail"] == _read_refusal(api, role, MINE)


def test_a_story_comes_as_markdown_html_and_pdf_like_tracker_report(api: Api) -> None:
    path = f"/v1/institutions/{MINE}/story"
    markdown = api.get("evaluator", f"{path}?format=md")
    assert markdown.headers["content-type"].startswith("text/markdown")
    assert markdown.text.startswith("# Contribution story: Wigan Council")
    html = api.get("evaluator", f"{path}?format=html")
    assert html.headers["content-type"].startswith("text/html") and "<html" in html.text
    pdf = api.get("evaluator", f"{path}?format=pdf")
    assert pdf.headers["content-type"] == "application/pdf" and pdf.content[:5] == b"%PDF-"
    stories = api.get("evaluator", path).json()["stories"]
    assert stories and stories[0]["institution"] == MINE



@pytest.mark.parametrize("role", ["evaluator", "funder"])
def test_the_analysis_is_the_json_of_tracker_analyse(api: Api, role: str) -> None:
    from typer.testing import CliRunner

    from tracker.cli import app

    def analyse(*args: str) -> dict[str, object]:
        ran = CliRunner().invoke(app, ["analyse", *args, "--format", "json", "--db", api.url,
                                       "--as", api.user(role)])
        assert ran.exit_code == 0, ran.stderr
        parsed: dict[str, object] = json.loads(ran.stdout)
        return parsed

    everything = analyse()
    page = api.get(role, "/v1/analysis?limit=200").json()
    assert page["parameters"] == everything["parameters"]
    assert page["items"] == everything["institutions"] and page["next"] is None
    key = MINE if role == "evaluator" else "northdale-council"
    assert api.get(role, f"/v1/institutions/{key}/analysis").json() == analyse(
        "--institution", key)


def test_history_refusal_reads_as_the_command_line_s(api: Api) -> None:
    response = api.get("viewer", f"/v1/institutions/{THEIRS}/history")
    assert response.json()["detail"] == _cli_refusal(api, "viewer", "history", "--institution",
                                                     THEIRS)
