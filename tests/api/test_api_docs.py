"""docs/api.md says what the API really does: the fields of each audience's answer,
the batch request and answer, every query parameter of ``GET /clients``."""

from __future__ import annotations

import json
import re
import shlex

import pytest

from tests.api.conftest import score_body
from tests.conftest import REPO_ROOT

API_DOC = (REPO_ROOT / "docs" / "api.md").read_text(encoding="utf-8")
CLIENTS_SECTION = "### Listing clients: `GET /clients`"
BATCH_SECTION = "### Batch scoring: `POST /score/batch`"

pytestmark = pytest.mark.parametrize("api_db_url", ["sqlite"], indirect=True)


def _without_parentheses(text: str) -> str:
    while (stripped := re.sub(r"\([^()]*\)", "", text)) != text:
        text = stripped
    return text


def documented_fields(audience: str) -> set[str]:
    """The field names of the ``- **<audience>** fields:`` bullet: its backticked names
    outside parentheses (which explain them), up to "Never"."""
    match = re.search(rf"^- \*\*{audience}\*\* fields: (.*?)(?=^- |^\s*$)", API_DOC, re.MULTILINE | re.DOTALL)
    assert match, f"docs/api.md has no '- **{audience}** fields:' bullet"
    listed = _without_parentheses(match.group(1).split("Never")[0])
    return set(re.findall(r"`([a-z_]+)`", listed))


def section(heading: str) -> str:
    start = API_DOC.index(heading)
    following = re.search(r"^#{2,3} ", API_DOC[start + len(heading) :], re.MULTILINE)
    return API_DOC[start : start + len(heading) + (following.start() if following else len(API_DOC))]


def test_the_documented_partner_fields_are_those_of_a_partner_answer(api, headers):
    response = api.post("/api/v1/score", json=score_body(), headers=headers["partner"])
    assert response.status_code == 200, response.text
    assert set(response.json()) == documented_fields("partner")
    batch = api.post("/api/v1/score/batch", json={"items": [score_body()]}, headers=headers["partner"])
    assert set(batch.json()["results"][0]["score"]) == documented_fields("partner")


def test_the_documented_staff_fields_are_those_of_a_staff_answer(api, headers):
    response = api.post("/api/v1/score", json=score_body(), headers=headers["advisor"])
    assert response.status_code == 200, response.text
    assert set(response.json()) == documented_fields("staff")


def _placeholders_emptied(example: str) -> object:
    return json.loads(example.replace("[...]", "[]").replace("{...}", "{}"))


def test_the_documented_batch_request_gets_the_documented_answer(api, headers):
    text = section(BATCH_SECTION)
    command = re.search(r"```sh\n(.*?)```", text, re.DOTALL).group(1).replace("\\\n", " ")
    words = shlex.split(command)
    body = json.loads(words[words.index("-d") + 1])
    documented = _placeholders_emptied(re.search(r"```json\n(.*?)```", text, re.DOTALL).group(1))

    answer = api.post("/api/v1/score/batch", json=body, headers=headers["partner"]).json()
    assert set(answer) == set(documented)
    assert (answer["scored"], answer["rejected"]) == (documented["scored"], documented["rejected"])
    for real, shown in zip(answer["results"], documented["results"], strict=True):
        assert set(real) == set(shown)
        for key in ("index", "status", "errors"):
            assert real[key] == shown[key], key
        if shown["score"] is None:
            assert real["score"] is None
        else:
            assert set(real["score"]) == set(shown["score"])
            assert real["score"]["request_id"] == shown["score"]["request_id"]


def _resolved(schema: dict, components: dict) -> dict:
    """A parameter's schema with ``anyOf [X, null]`` and ``$ref`` resolved."""
    for option in schema.get("anyOf", []):
        if option.get("type") != "null":
            schema = option
    if "$ref" in schema:
        schema = components[schema["$ref"].rsplit("/", 1)[-1]]
    return schema


def _number(value: float) -> str:
    return f"{int(value):,}" if float(value).is_integer() else f"{value:g}"


def test_every_clients_query_parameter_is_documented(api):
    spec = api.get("/api/openapi.json").json()
    components = spec["components"]["schemas"]
    listed = spec["paths"]["/api/v1/clients"]["get"]["parameters"]
    parameters = {p["name"]: p["schema"] for p in listed if p["in"] == "query"}
    rows = {}
    for line in section(CLIENTS_SECTION).splitlines():
        cells = [cell.strip() for cell in line.strip().strip("|").split("|")]
        if line.startswith("| `") and len(cells) == 4:
            for name in re.findall(r"`([a-z_]+)`", cells[0]):
                rows[name] = line
    assert set(rows) == set(parameters), "docs/api.md's GET /clients table and the API differ"

    for name, raw in parameters.items():
        schema, row = _resolved(raw, components), rows[name]
        for value in schema.get("enum", []):
            assert f"`{value}`" in row, f"{name}: value {value!r} not documented"
        if "minimum" in schema:
            assert f"{_number(schema['minimum'])} to {_number(schema['maximum'])}" in row, name
        if "maxLength" in schema:
            assert f"at most {schema['maxLength']}" in row, name
        if "default" in raw:
            default = json.dumps(raw["default"]).strip('"')
            assert f"`{default}`" in row, f"{name}: default {default!r} not documented"
