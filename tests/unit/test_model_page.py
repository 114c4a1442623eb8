"""The /model page's global shap explanation: the chart rows the display module shapes
from the artefact's data, and what the state shows for a tree or a linear champion."""

from __future__ import annotations

import numpy as np
import pytest

from modeling.features import FEATURE_NAMES
from neobank_dashboard.display import global_explanation as shap_display
from neobank_dashboard.display.texts import translate
from neobank_dashboard.services import global_explanation as service
from neobank_dashboard.state.model import ModelState
from tests.support.factories import make_advisor
from tests.unit.test_states import StandIn, call, redirected_to

ROWS = 60


def _explanation(rows: int = ROWS) -> dict:
    """The shape of ``global_explanation.json``: income first in importance, age last."""
    rng = np.random.default_rng(0)
    values = {name: rng.normal(size=rows) for name in FEATURE_NAMES}
    shap = {name: (i + 1) * 0.1 * values[name] for i, name in enumerate(reversed(FEATURE_NAMES))}
    order = sorted(FEATURE_NAMES, key=lambda name: -np.abs(shap[name]).mean())
    return {
        "space": "raw log-odds",
        "rows": rows,
        "base_value": -3.0,
        "summary": [
            {
                "feature": name,
                "mean_abs_shap": float(np.abs(shap[name]).mean()),
                "values": values[name].tolist(),
                "shap": shap[name].tolist(),
            }
            for name in order
        ],
        "dependence": [
            {
                "feature": name,
                "interacts_with": "credit_score" if name != "credit_score" else "income",
                "mean_abs_interaction": 0.01,
                "values": values[name].tolist(),
                "shap": shap[name].tolist(),
                "colour_values": values["credit_score" if name != "credit_score" else "income"].tolist(),
                "interaction": [0.0] * rows,
            }
            for name in FEATURE_NAMES
        ],
    }


def _label(name: str, lang: str) -> str:
    return translate(f"feature.{name}", lang)


# ------------------------------------------------------------ display shaping


def test_importance_is_ranked_and_labelled_in_the_page_language():
    explanation = _explanation()
    fr, en = shap_display.importance_rows(explanation, "fr"), shap_display.importance_rows(explanation, "en")
    names = [entry["feature"] for entry in explanation["summary"]]
    assert [row["feature"] for row in fr] == [_label(name, "fr") for name in names]
    assert [row["feature"] for row in en] == [_label(name, "en") for name in names]
    values = [row["mean_abs_shap"] for row in fr]
    assert values == sorted(values, reverse=True) and values[0] > 0


def test_colour_levels_run_from_low_to_high_between_the_5th_and_95th_percentiles():
    values = np.arange(101, dtype=float)
    levels = shap_display.colour_levels(values)
    assert levels.min() == 0 and levels.max() == shap_display.COLOUR_LEVELS - 1
    assert np.all(np.diff(levels) >= 0)  # monotone in the value
    assert levels[0] == levels[5] == 0 and levels[95] == levels[100] == shap_display.COLOUR_LEVELS - 1
    # A feature that barely varies (incidents: mostly 0) still spreads, a constant one sits in the middle.
    incidents = np.array([0] * 97 + [1, 2, 3])
    assert set(shap_display.colour_levels(incidents)) == {0, shap_display.COLOUR_LEVELS - 1, 1, 3}
    assert set(shap_display.colour_levels(np.ones(10))) == {shap_display.COLOUR_LEVELS // 2}


def test_swarm_offsets_stack_points_that_share_a_value_and_stay_in_their_row():
    shap_values = np.array([0.0] * 9 + [1.0])
    offsets = shap_display.swarm_offsets(shap_values)
    assert len(set(offsets[:9].round(9))) == 9  # nine equal values: nine distinct heights
    assert offsets[9] == 0  # alone in its bin: on the row's line
    assert np.abs(offsets).max() == pytest.approx(shap_display.SWARM_HALF_HEIGHT)
    assert shap_display.swarm_offsets(np.array([])).size == 0


def test_the_beeswarm_has_every_client_on_its_features_row_most_important_on_top():
    explanation = _explanation()
    series = shap_display.beeswarm_series(explanation, "fr")
    labels = shap_display.beeswarm_labels(explanation, "fr")
    features = len(FEATURE_NAMES)
    assert labels[-1] == _label(explanation["summary"][0]["feature"], "fr")  # top row
    assert labels[0] == _label(explanation["summary"][-1]["feature"], "fr")
    points = [point for s in series for point in s["points"]]
    assert len(points) == ROWS * features
    rows = np.array([point["row"] for point in points])
    nearest = np.round(rows)
    assert set(nearest) == set(range(features))
    assert np.abs(rows - nearest).max() <= shap_display.SWARM_HALF_HEIGHT + 1e-9
    # The top row holds the most important feature's SHAP values, each client once.
    top = sorted(point["shap"] for point in points if round(point["row"]) == features - 1)
    assert top == pytest.approx(sorted(explanation["summary"][0]["shap"]), abs=1e-4)
    # Series go from low (blue) to high (red) and are named in the page's language.
    assert [s["colour"] for s in series] == list(shap_display.COLOURS[: len(series)])
    assert series[0]["name"] == "faible" and series[-1]["name"] == "élevée"
    assert shap_display.beeswarm_series(explanation, "en")[-1]["name"] == "high"


def test_the_beeswarm_colours_follow_each_features_own_value():
    explanation = _explanation()
    series = shap_display.beeswarm_series(explanation, "en")
    top = explanation["summary"][0]
    # In the synthetic data SHAP grows with the value: the top row's red dots are right of its blue ones.
    red = [p["shap"] for p in series[-1]["points"] if round(p["row"]) == len(FEATURE_NAMES) - 1]
    blue = [p["shap"] for p in series[0]["points"] if round(p["row"]) == len(FEATURE_NAMES) - 1]
    assert red and blue and min(red) > max(blue)
    assert len(red) + len(blue) < len(top["shap"])  # the middle levels hold the rest


def test_a_dependence_plot_is_coloured_by_the_strongest_interaction():
    explanation = _explanation()
    plot = shap_display.dependence_plot(explanation, "income", "fr")
    assert plot["feature"] == _label("income", "fr")
    assert plot["interacts_with"] == _label("credit_score", "fr")
    points = [point for s in plot["series"] for point in s["points"]]
    entry = next(d for d in explanation["dependence"] if d["feature"] == "income")
    assert sorted(p["value"] for p in points) == pytest.approx(sorted(entry["values"]), abs=1e-4)
    # Colour levels come from the interacting feature's values, not the plotted one.
    levels = shap_display.colour_levels(np.array(entry["colour_values"]))
    assert [len(s["points"]) for s in plot["series"]] == [
        int((levels == level).sum()) for level in range(shap_display.COLOUR_LEVELS) if (levels == level).any()
    ]
    empty = shap_display.dependence_plot(explanation, "not_a_feature", "fr")
    assert empty == {"feature": "", "interacts_with": "", "series": []}
    options = shap_display.dependence_features(explanation, "en")
    assert [o["name"] for o in options] == [e["feature"] for e in explanation["summary"]]


# ------------------------------------------------------------ the state


def _var(page: StandIn, name: str):
    return ModelState.computed_vars[name].fget(page)


@pytest.fixture
def advisor(db, cli_database):
    advisor = make_advisor(db)
    db.commit()
    return advisor


@pytest.fixture(scope="module")
def registries(tmp_path_factory):
    """Two small registries: an XGBoost champion (shap data stored) and a logit one (none)."""
    from modeling import train

    folders = {}
    for name in ("xgboost", "logit"):
        folders[name] = tmp_path_factory.mktemp(f"model-page-{name}")
        train(folders[name], rows=5_000, candidates=[name], folds=3)
    return folders


@pytest.fixture
def champion(registries, monkeypatch):
    """Serve one registry's champion, the settings pointing to it; returns the model."""
    from modeling import load_champion
    from neobank_dashboard.services import scoring
    from neobank_dashboard.settings import get_settings

    monkeypatch.setattr(service, "_explanations", {})
    previous = scoring.get_service().loaded_model

    def serve(name: str):
        monkeypatch.setenv("NEOBANK_MODEL_DIR", str(registries[name]))
        get_settings.cache_clear()
        model = load_champion(registries[name])
        scoring.get_service().use(model)
        return model

    yield serve
    scoring.get_service().use(previous)
    get_settings.cache_clear()


def test_a_tree_champion_shows_its_shap_charts_in_both_languages(advisor, champion):
    model = champion("xgboost")
    page = StandIn(ModelState, advisor, path="/model")
    assert redirected_to(call(ModelState.load, page)) is None
    assert _var(page, "has_shap") and page.shap_feature == _var(page, "shap_features")[0]["name"]
    rows = service.global_explanation(model.version)["rows"]
    assert sum(len(s["points"]) for s in _var(page, "shap_beeswarm")) == rows * len(FEATURE_NAMES)
    assert "clients" in _var(page, "shap_intro") and "log-odds" in _var(page, "shap_intro")
    assert _var(page, "shap_dependence_feature") == _label(page.shap_feature, "fr")
    call(ModelState.choose_shap_feature, page, "age")
    assert page.shap_feature == "age" and _var(page, "shap_dependence_feature") == "Âge"
    call(ModelState.choose_shap_feature, page, "<script>")  # not a feature: nothing changes
    assert page.shap_feature == "age"
    page.lang = "en"
    assert _var(page, "shap_dependence_feature") == "Age"
    assert _var(page, "shap_rows")[-1] == _var(page, "shap_importance")[0]["feature"]


def test_a_linear_champion_has_no_shap_charts(advisor, champion):
    assert champion("logit").name == "logit"
    page = StandIn(ModelState, advisor, path="/model")
    call(ModelState.load, page)
    assert _var(page, "has_shap") is False
    assert _var(page, "shap_beeswarm") == [] and _var(page, "shap_dependence") == []
    assert "linéaire" in translate("model.shap.linear", "fr")


def test_a_signed_out_browser_gets_no_shap_feature_change(db, cli_database):
    page = StandIn(ModelState, None, path="/model", shap_feature="income")
    call(ModelState.choose_shap_feature, page, "age")
    assert page.shap_feature == "income"
