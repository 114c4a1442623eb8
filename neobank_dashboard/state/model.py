"""The model page: what the champion is, how it was chosen, how well it does."""

from __future__ import annotations

import reflex as rx

from modeling.features import FEATURE_NAMES, FEATURES
from neobank_dashboard.display import global_explanation as shap_display
from neobank_dashboard.display.texts import translate
from neobank_dashboard.i18n import format_number, format_p_value, format_percent
from neobank_dashboard.services import scoring
from neobank_dashboard.services.auth import CurrentAdvisor
from neobank_dashboard.services.global_explanation import global_explanation
from neobank_dashboard.state.session import SessionState, signed_in


def _fmt(value: float | None, lang: str, decimals: int = 3) -> str:
    return "—" if value is None else format_number(value, lang, decimals)


class ModelState(SessionState):
    loaded_model: bool = False
    _metrics: dict = {}
    _summary: dict = {}
    model_card: str = ""
    # The version whose shap explanation is shown ("" for none): the data stays in the service.
    _explained_version: str = ""
    shap_feature: str = ""

    @rx.event
    @signed_in
    def load(self, advisor: CurrentAdvisor):
        model = scoring.get_service().loaded_model
        self.loaded_model = model is not None
        if model is None:
            return None
        self._metrics = model.metrics
        self._summary = {
            "name": model.name,
            "version": model.version,
            "threshold": model.threshold,
            "grey_zone": list(model.grey_zone),
            "trained_at": model.trained_at,
        }
        self.model_card = model.model_card
        explanation = global_explanation(model.version)
        self._explained_version = model.version if explanation else ""
        if explanation and self.shap_feature not in FEATURE_NAMES:
            self.shap_feature = explanation["summary"][0]["feature"]
        return None

    @rx.event
    @signed_in
    def choose_shap_feature(self, advisor: CurrentAdvisor, name: str):
        """The dependence plot's feature; anything but a feature name changes nothing."""
        if name in FEATURE_NAMES:
            self.shap_feature = name

    @rx.var
    def summary(self) -> dict[str, str]:
        if not self._summary:
            return {}
        low, high = self._summary["grey_zone"]
        costs = self._metrics["costs"]
        ratio = costs["missed_default"] / costs["refused_good_client"]
        return {
            "name": self._summary["name"],
            "version": self._summary["version"],
            "threshold": format_percent(self._summary["threshold"], self.lang),
            "grey_zone": f"{format_percent(low, self.lang)} – {format_percent(high, self.lang)}",
            "why": translate("model.threshold_why", self.lang).format(fn=format_number(ratio, self.lang)),
        }

    @rx.var
    def candidates(self) -> list[dict[str, str]]:
        champion = self._metrics.get("champion")
        return [
            {
                "name": c["name"],
                "champion": "1" if c["name"] == champion else "",
                "cv_auc": f"{_fmt(c['cv_roc_auc_mean'], self.lang)} ± {_fmt(c['cv_roc_auc_std'], self.lang)}",
                "pr_auc": _fmt(c["test"].get("average_precision"), self.lang),  # "—" for older artefacts
                "brier": _fmt(c["test"]["brier"], self.lang, 4),
                "ks": _fmt(c["test"]["ks"], self.lang),
                "cost": f"{_fmt(c['cv_expected_cost_mean'], self.lang)} ± "
                f"{_fmt(c['cv_expected_cost_standard_error'], self.lang)}",
            }
            for c in self._metrics.get("candidates", [])
        ]

    @rx.var
    def calibration(self) -> list[dict[str, float]]:
        curve = self._metrics.get("test", {}).get("calibration_curve", {})
        return [
            {"predicted": round(p * 100, 2), "observed": round(o * 100, 2)}
            for p, o in zip(curve.get("mean_predicted", []), curve.get("observed_default_rate", []))
        ]

    @rx.var
    def calibration_diagonal(self) -> list[dict[str, float]]:
        top = max([point["predicted"] for point in self.calibration] + [1.0])
        return [{"predicted": 0.0, "observed": 0.0}, {"predicted": top, "observed": top}]

    @rx.var
    def cost_curve(self) -> list[dict[str, float]]:
        curve = self._metrics.get("cost_curve", {})
        return [
            {"threshold": round(t * 100, 2), "cost": round(c, 4)}
            for t, c in zip(curve.get("threshold", []), curve.get("expected_cost", []))
        ]

    @rx.var
    def threshold_percent(self) -> float:
        return round(self._summary.get("threshold", 0.0) * 100, 2)

    @rx.var
    def roc_curves(self) -> list[dict[str, float]]:
        """Test ROC curves of every candidate on a shared false-positive grid."""
        rows: dict[float, dict[str, float]] = {}
        for candidate in self._metrics.get("candidates", []):
            curve = candidate["test"].get("roc_curve")
            if not curve:
                continue
            for fpr, tpr in zip(curve["fpr"], curve["tpr"]):
                rows.setdefault(round(fpr, 3), {"fpr": round(fpr, 3)})[candidate["name"]] = tpr
        return [rows[key] for key in sorted(rows)]

    @rx.var
    def roc_names(self) -> list[str]:
        return [c["name"] for c in self._metrics.get("candidates", []) if c["test"].get("roc_curve")]

    @rx.var
    def importance(self) -> list[dict[str, str]]:
        importance = self._metrics.get("global_importance", {})
        if not importance:
            return []
        largest = max(v["mean_abs_points"] for v in importance.values()) or 1.0
        return [
            {
                "label": translate(f"feature.{name}", self.lang),
                "value": f"{format_number(importance[name]['mean_abs_points'] * 100, self.lang, 2)} pts",
                "width": f"{100 * importance[name]['mean_abs_points'] / largest:.1f}%",
            }
            for name in sorted(importance, key=lambda n: -importance[n]["mean_abs_points"])
            if name in FEATURE_NAMES
        ]

    @rx.var
    def odds_ratios(self) -> list[dict[str, str]]:
        return [
            {
                "parameter": row["parameter"],
                "odds_ratio": _fmt(row["odds_ratio"], self.lang, 4),
                "ci": f"[{_fmt(row['odds_ratio_ci_low'], self.lang, 4)} ; "
                f"{_fmt(row['odds_ratio_ci_high'], self.lang, 4)}]",
                "p_value": format_p_value(row["p_value"], self.lang),
            }
            for row in self._metrics.get("logit_summary", []) or []
        ]

    @rx.var
    def card_inputs(self) -> list[dict[str, str]]:
        """The model card's inputs, from the feature spec, in the current language."""
        french = self.lang == "fr"
        return [
            {
                "label": f.label_fr if french else f.label_en,
                "unit": f.unit_fr if french else f.unit_en,
                "range": f"{format_number(f.minimum, self.lang)} – {format_number(f.maximum, self.lang)}",
                "effect": translate(f"model.card.effect.{f.risk_direction}", self.lang),
                "actionable": translate(f"common.{'yes' if f.actionable else 'no'}", self.lang),
            }
            for f in FEATURES
        ]

    # ------------------------------------------------------------ global shap

    def _explanation(self) -> dict | None:
        return global_explanation(self._explained_version) if self._explained_version else None

    @rx.var
    def has_shap(self) -> bool:
        return bool(self._explained_version)

    @rx.var
    def shap_importance(self) -> list[dict]:
        explanation = self._explanation()
        return shap_display.importance_rows(explanation, self.lang) if explanation else []

    @rx.var
    def shap_beeswarm(self) -> list[dict]:
        explanation = self._explanation()
        return shap_display.beeswarm_series(explanation, self.lang) if explanation else []

    @rx.var
    def shap_rows(self) -> list[str]:
        explanation = self._explanation()
        return shap_display.beeswarm_labels(explanation, self.lang) if explanation else []

    @rx.var
    def shap_intro(self) -> str:
        explanation = self._explanation()
        if not explanation:
            return ""
        return translate("model.shap.intro", self.lang).format(
            n=format_number(explanation["rows"], self.lang)
        )

    @rx.var
    def shap_features(self) -> list[dict[str, str]]:
        explanation = self._explanation()
        return shap_display.dependence_features(explanation, self.lang) if explanation else []

    def _dependence(self) -> dict:
        explanation = self._explanation()
        if not explanation:
            return {"feature": "", "interacts_with": "", "series": []}
        return shap_display.dependence_plot(explanation, self.shap_feature, self.lang)

    @rx.var
    def shap_dependence(self) -> list[dict]:
        """The dependence plot's series, coloured by the strongest interacting feature."""
        return self._dependence()["series"]

    @rx.var
    def shap_dependence_feature(self) -> str:
        return self._dependence()["feature"]

    @rx.var
    def shap_interacts_with(self) -> str:
        return self._dependence()["interacts_with"]
