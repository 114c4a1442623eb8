"""The usual public shape of a credit-scoring API, as the comparison point of
``benchmarks/throughput_benchmark.py``: FastAPI, an XGBoost classifier loaded with
joblib, ``shap.TreeExplainer`` on every call (on a one-row data frame), no authentication, nothing stored.

    python benchmarks/peer_api.py train MODEL.joblib      # on the synthetic portfolio
    PEER_MODEL=MODEL.joblib uvicorn benchmarks.peer_api:app --port 8002

It is what many tutorials and open-source "credit scoring API" projects serve; it
does none of the product's work (validation of as-of dates, reasons, freshness,
a durable score row and an audit event), so being as fast as it is the target.
"""

from __future__ import annotations

import os
import sys

import joblib
import pandas as pd
from fastapi import FastAPI
from pydantic import BaseModel

FEATURES = ("age", "income", "seniority", "payment_incidents", "credit_score")


class Applicant(BaseModel):
    age: int
    income: float
    seniority: float
    payment_incidents: int
    credit_score: int
    purpose: str | None = None


def train(path: str, rows: int = 20_000) -> None:
    from xgboost import XGBClassifier

    from modeling.constants import XGBOOST_PARAMS
    from modeling.synthetic import generate_portfolio

    data = generate_portfolio(rows, seed=0)
    model = XGBClassifier(**XGBOOST_PARAMS)  # the same size of model as the champion
    model.fit(data[list(FEATURES)], data["defaulted"])
    joblib.dump(model, path)


def create_app(model_path: str) -> FastAPI:
    import shap

    model = joblib.load(model_path)
    explainer = shap.TreeExplainer(model)
    app = FastAPI(title="Peer scoring API")

    @app.post("/predict")
    def predict(applicant: Applicant) -> dict:
        # As the tutorials write it: a one-row data frame, the model, then the explainer.
        row = pd.DataFrame([applicant.model_dump(include=set(FEATURES))])[list(FEATURES)]
        probability = float(model.predict_proba(row)[0, 1])
        contributions = explainer.shap_values(row)[0]
        return {
            "probability": probability,
            "decision": "approved" if probability < 0.1 else "refused",
            "explanation": dict(zip(FEATURES, map(float, contributions), strict=True)),
        }

    return app


if os.environ.get("PEER_MODEL"):
    app = create_app(os.environ["PEER_MODEL"])

if __name__ == "__main__" and len(sys.argv) == 3 and sys.argv[1] == "train":
    train(sys.argv[2])
