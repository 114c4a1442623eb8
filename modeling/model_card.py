"""The artefact's model card: what a validator and the model page read."""

from __future__ import annotations

from modeling.constants import AGE_ALONE_REFUSAL_LIMIT, AGE_MODELLED_RANGE, TEST_SIZE
from modeling.evaluation import Evaluation
from modeling.features import FEATURES, display_number
from modeling.report import CHAMPION_RULE, GREY_ZONE_RULE, THRESHOLD_RULE, comparison_table

EFFECTS = {1: "raises", -1: "lowers", 0: "not monotone"}
AGE_JUSTIFICATION = (
    "Age is collected to check legal age and because young applicants default more often in "
    "real portfolios (German credit, Give Me Some Credit). It is a ground of non-discrimination "
    "(EU Charter Art. 21, to which the Consumer Credit Directive 2023/2225 Art. 6 refers), so its "
    f"effect is bounded: the models see age clipped to {AGE_MODELLED_RANGE[0]}-{AGE_MODELLED_RANGE[1]} "
    f"(every client aged {AGE_MODELLED_RANGE[1]} or more is treated alike; below, the risk may only "
    "rise as age falls, and age interacts with no other feature); a promotion gate allows at most "
    f"{AGE_ALONE_REFUSAL_LIMIT:.0%} of refusals to be decided by age alone (refused, but eligible at "
    "the portfolio's median age); reason texts state no age preference; calibration is reported "
    "by age band. Every trained model reports the measured share and what the bound costs "
    "(its model card, section Age)."
)
"""Why and how age is used: the model card and the impact assessment (DPIA) say it."""


def _table(header: list[str], rows: list[list[str]]) -> str:
    lines = ["| " + " | ".join(header) + " |", "|" + " --- |" * len(header)]
    return "\n".join([*lines, *("| " + " | ".join(row) + " |" for row in rows)])


def _effect(feature) -> str:
    if feature.name == "age":
        low, high = AGE_MODELLED_RANGE
        return f"bounded: may only fall from {low} to {high}, flat outside"
    return EFFECTS[feature.risk_direction]


def _bands(bands: list[dict], label: str, key: str) -> str:
    return _table(
        [label, "clients", "defaults", "mean predicted", "observed", "Jeffreys p-value"],
        [
            [
                band[key] if key == "ages" else f"{band['low']:.3f} – {band['high']:.3f}",
                str(band["rows"]),
                str(band["defaults"]),
                f"{band['mean_predicted']:.2%}",
                f"{band['observed_default_rate']:.2%}",
                f"{band['jeffreys_p_value']:.3f}",
            ]
            for band in bands
        ],
    )


def _age_section(metrics: dict) -> str:
    gates = metrics["gates"] or {}
    age_alone = gates.get("age_alone")
    policy = AGE_JUSTIFICATION
    if age_alone is None:
        return policy
    lines = [
        policy,
        "",
        f"Age alone decides {age_alone['decided_by_age_alone']} of the {age_alone['refusals']} "
        f"test refusals ({age_alone['share']:.1%}; limit {age_alone['limit']:.0%}): refused, but "
        f"eligible at the portfolio's median age ({age_alone['median_age']:g}), all else equal.",
    ]
    price = metrics.get("age_bound")
    if price:
        rows = [
            [
                name,
                f"{row['test_roc_auc']:.4f}",
                f"{row['test_expected_cost']:.4f}",
                f"{row['cv_expected_cost']:.4f}",
                f"{row['age_alone_refusal_share']:.1%}",
            ]
            for name, row in (("with the bound", price["bounded"]), ("without", price["unbounded"]))
        ]
        header = ["age", "test ROC AUC", "test expected cost", "CV expected cost", "age-alone refusals"]
        lines += ["", "What the bound costs (same family, same split):", "", _table(header, rows)]
    return "\n".join(lines)


def _sensitivity(rows: list[dict]) -> str:
    return _table(
        ["LGD", "lost margin (EUR)", "cost ratio", "1 / (1 + ratio)", "threshold", "grey zone", "refused"],
        [
            [
                f"{row['loss_given_default']:.0%}",
                f"{row['lost_margin_eur']:g}",
                f"{row['cost_ratio']:.1f}",
                f"{row['theoretical_threshold']:.3f}",
                f"{row['threshold']:.3f}",
                f"{row['grey_zone'][0]:.3f} – {row['grey_zone'][1]:.3f}",
                f"{row['refusal_rate']:.1%}",
            ]
            for row in rows
        ],
    )


def render_model_card(
    evaluation: Evaluation, metrics: dict, decision: dict, training: dict, environment: dict
) -> str:
    """The artefact's model card, in Markdown."""
    champion = evaluation.results[evaluation.champion]
    test = champion.test_metrics
    costs, sources = evaluation.costs, decision["cost_sources"]
    calibration, base = test["calibration"], metrics["base"]
    features = _table(
        ["feature", "label", "unit", "valid range", "effect on risk", "actionable"],
        [
            [
                f"`{f.name}`",
                f.label_en,
                f.unit_en,
                f"{display_number(f.minimum)} – {display_number(f.maximum)}",
                _effect(f),
                "yes" if f.actionable else "no",
            ]
            for f in FEATURES
        ],
    )
    importance = _table(
        ["feature", "mean abs. contribution (log-odds)", "mean abs. contribution (points, %)"],
        [
            [f"`{name}`", f"{values['mean_abs_log_odds']:.3f}", f"{values['mean_abs_points'] * 100:.2f}"]
            for name, values in metrics["global_importance"].items()
        ],
    )
    gates = metrics["gates"]
    failures = (gates["monotonicity"] + gates["coefficient_signs"]) if gates else []
    libraries = ", ".join(f"{name} {version}" for name, version in environment["libraries"].items())
    split = "the latest applications (out-of-time)" if evaluation.out_of_time else "stratified at random"
    return f"""# Model card: probability of default ({champion.name})

- **Version**: the artefact's SHA-256, `artefact_sha256` in `manifest.json` (also the
  artefact folder's name).
- **Trained**: {training["trained_at"]} (UTC), in {training["training_seconds"]:.0f} s, from
  commit `{training["git_commit"]}`; hyperparameters in `training.json`.
- **Training data**: {training["source"]}; {training["rows"]} clients, default rate
  {training["default_rate"]:.2%}; SHA-256 `{training["data_sha256"]}`.
- **Environment**: Python {environment["python"]}; {libraries}. Loading under another
  major scikit-learn or XGBoost is refused; other version differences warn.

## Intended use

Estimate a client's probability of default to support a credit-eligibility
decision by a bank advisor, who makes the final decision and can override the
recommendation with a written justification. Not for fully automated refusal,
for clients outside the feature ranges below, or for other products.

**A bank must revalidate this model on its own data before production**: the
figures below measure it on {training["source"]}, which cannot stand for a real
portfolio, its applicants or its economic cycle.

## Inputs

{features}

## Candidates and choice

Protocol: a {TEST_SIZE:.0%} held-out test split, {split}; stratified
{evaluation.folds}-fold cross-validation on the rest. Champion rule: {CHAMPION_RULE}.
Only candidates with exact explanations are eligible (every score shown to a
client is explained).

{comparison_table(evaluation, set(metrics["eligible_candidates"]))}

Champion: **{champion.name}**. Promotion gates (monotone along every constrained
feature, linear coefficients with the spec's signs, age-alone refusals under
the limit): {"passed" if gates is None or gates["passed"] else "FAILED: " + "; ".join(failures)}.

## Test performance of the champion

| ROC AUC | Gini | average precision | Brier | KS | expected cost per client | with reviews |
| --- | --- | --- | --- | --- | --- | --- |
| {test["roc_auc"]:.4f} | {test["gini"]:.4f} | {test["average_precision"]:.4f} | {test["brier"]:.4f} | \
{test["ks"]:.3f} | {test["expected_cost"]:.4f} | {test["expected_cost_with_reviews"]:.4f} |

## Costs, threshold and grey zone

Costs, in units of the margin lost by refusing a good client: a missed default
costs LGD x exposure / lost margin = {sources["loss_given_default"]:.0%} x
{sources["exposure_at_default_eur"]:,.0f} EUR / {sources["lost_margin_eur"]:,.0f} EUR =
{costs.missed_default:g}; a wrongly refused good client {costs.refused_good_client:g}; a human
review {sources["review_cost_eur"]:g} EUR = {costs.review:.3f}. Sources: {sources["sources"]}.

Refuse when the probability is at least the threshold {decision["threshold"]:.3f}:
{THRESHOLD_RULE} (here {decision["theoretical_threshold"]:.3f}). Grey zone: {decision["grey_zone"][0]:.3f} –
{decision["grey_zone"][1]:.3f}; {GREY_ZONE_RULE}. On the test split:
{test["refusal_rate"]:.1%} refused, {test["review_rate"]:.1%} in review.

Sensitivity to the loss model (exposure and review time fixed):

{_sensitivity(metrics["cost_sensitivity"])}

## Calibration

Map: `{champion.model.calibration.method}` on the log-odds, fitted on out-of-fold
predictions, chosen for the lowest cross-validated Brier score. On the held-out
test split: calibration slope {calibration["slope"]:.3f} (ideal 1), intercept
{calibration["intercept"]:.3f} (ideal 0), observed minus mean predicted default
rate {calibration["observed_minus_predicted"]:+.2%} (calibration-in-the-large).
Jeffreys p-values below 0.05 flag bands whose probabilities are too low.

{_bands(test["calibration_bands"], "predicted band", "band")}

By age band (test split):

{_bands(metrics["calibration_by_age"], "ages", "ages")}

## Explanations

Contributions are exact (TreeSHAP for XGBoost and, through shap, for
histogram gradient boosting; closed form for logistic models) in calibrated
log-odds, centred on the portfolio: each feature's contributions average to
zero over the training data, and the base value
{base["log_odds"]:.3f} is the portfolio's mean log-odds. The base probability
{base["probability_at_mean_log_odds"]:.2%} is the probability at that mean
log-odds, not the mean predicted probability ({base["mean_predicted_probability"]:.2%}).
Probability points share the probability's distance to the base probability
in proportion to the log-odds contributions. A reason never says a feature
lowers the risk when the client's value is worse than the portfolio's median.

{importance}

## Age

{_age_section(metrics)}

## Limitations

- Trained on the data described above; scores for clients unlike it (new
  segments, economic shocks) are less reliable. Monitor the default rate,
  calibration and input drift; retrain when they move.
- Age is an input within the bound above: monitor outcomes, overrides and
  calibration by age band; the justification belongs in the impact assessment.
- Stale inputs (older than six months) on critical features send the client to
  review whatever the score.
"""
