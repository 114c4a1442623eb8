"""Property-based fuzzing of the scoring inputs (issue 13, item 6): whatever JSON a caller
sends, the answer is 2xx or 4xx, never a 5xx; in a batch the valid items are always scored
and each invalid one is rejected alone."""

from __future__ import annotations

import json

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from modeling.features import FEATURES, FEATURES_BY_NAME, MIN_WORKING_AGE

SCORE, BATCH = "/api/v1/score", "/api/v1/score/batch"
FUZZ = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])

json_scalars = (
    st.none()
    | st.booleans()
    | st.integers(min_value=-(10**400), max_value=10**400)  # far past a float's range
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.text(max_size=20)
)
json_values = st.recursive(
    json_scalars,
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner, max_size=4),
    max_leaves=12,
)
# Bodies shaped like a score request, each field anything: deeper than random objects go.
request_like = st.fixed_dictionaries(
    {},
    optional={
        **{f.name: json_values for f in FEATURES},
        "purpose": st.sampled_from(["credit_application", "nope"]) | json_values,
        "as_of": json_values,
        "request_id": json_values,
        "extra": json_values,
    },
)


@st.composite
def valid_items(draw) -> dict:
    age, score = draw(st.integers(18, 120)), FEATURES_BY_NAME["credit_score"]
    seniority_max = min(FEATURES_BY_NAME["seniority"].maximum, age - MIN_WORKING_AGE)
    return {
        "age": age,
        "income": draw(st.floats(0, FEATURES_BY_NAME["income"].maximum)),
        "seniority": draw(st.floats(0, max(0, seniority_max))),
        "payment_incidents": draw(st.integers(0, int(FEATURES_BY_NAME["payment_incidents"].maximum))),
        "credit_score": draw(st.integers(int(score.minimum), int(score.maximum))),
        "purpose": "credit_application",
    }


@st.composite
def invalid_items(draw) -> dict:
    item = draw(valid_items())
    field = draw(st.sampled_from([f.name for f in FEATURES]))
    item[field] = draw(st.sampled_from(["35", None, True, 10**400, -(10**400), -1, 10**12, [1], {"v": 1}]))
    return item


def _raw_post(api, path: str, body, headers) -> object:
    return api.post(path, content=json.dumps(body), headers={**headers, "Content-Type": "application/json"})


@FUZZ
@given(body=request_like | json_values)
def test_any_json_body_gets_a_2xx_or_4xx(api, headers, body):
    response = _raw_post(api, SCORE, body, headers["partner"])
    assert response.status_code < 500, response.text
    if response.status_code == 422:
        assert response.json()["errors"], "a 422 names the fields"


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(items=st.lists(st.one_of(valid_items(), invalid_items()), min_size=1, max_size=8))
def test_in_a_batch_valid_items_are_scored_and_bad_ones_rejected_alone(api, headers, items):
    from modeling.features import validate_features

    response = _raw_post(api, BATCH, {"items": items}, headers["partner"])
    assert response.status_code == 200, response.text
    results = response.json()["results"]
    for item, result in zip(items, results, strict=True):
        features = {k: v for k, v in item.items() if k != "purpose"}
        typed = all(isinstance(v, int | float) and not isinstance(v, bool) for v in features.values())
        valid = typed and not validate_features(features)
        assert result["status"] == ("scored" if valid else "error"), (item, result)
