"""The decision letter to the client: what was decided and when, that a person
decided and what the score did, the five data used, the main factors, what
would change the outcome, the client's rights and whom to write to.

Built only from stored records (the decision; its score's feature snapshot,
as-of dates, probability, threshold, reasons and model version; the deciding
staff member's role) and the settings: the only dates in a letter are stored
ones, so a decision always gives the same letter and can be reissued. Reasons
about age are left out: age is one of the data used, never a reason given to
a client. :mod:`neobank_dashboard.services.letter_pdf` typesets it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from sqlmodel import Session, col, select

from modeling.features import FEATURES, FEATURES_BY_NAME
from modeling.reasons import format_value
from neobank_dashboard.db.models import Advisor, Client, Decision, Outcome, Recommendation, Score
from neobank_dashboard.i18n import Catalogue, format_date, format_percent
from neobank_dashboard.services import audit
from neobank_dashboard.services.clients import Viewer, visible_to
from neobank_dashboard.services.counterfactuals import CounterfactualOption, options_for_score
from neobank_dashboard.services.letter_pdf import render_pdf
from neobank_dashboard.settings import get_settings

# The letter's texts quote no rule value: the plain catalogue is enough.
translate = Catalogue().translate

MAIN_FACTORS = 3
UNSPOKEN_REASON_FEATURES = frozenset({"age"})
RIGHTS = ("access", "rectification", "contest", "review", "objection", "complaint")


@dataclass(frozen=True)
class Section:
    heading: str
    paragraphs: tuple[str, ...] = ()
    bullets: tuple[str, ...] = ()
    table: tuple[tuple[str, ...], ...] = ()
    """Rows, the first one the header."""
    closing: str | None = None


@dataclass(frozen=True)
class Letter:
    lang: str
    bank: str
    title: str
    dated: str
    references: tuple[str, ...]
    greeting: str
    sections: tuple[Section, ...]
    closing: str
    signature: str
    footer: str
    """With a ``{page}`` placeholder."""


@dataclass(frozen=True)
class _Records:
    decision: Decision
    score: Score
    advisor: Advisor


def _records(session: Session, viewer: Viewer, decision_id: int) -> _Records | None:
    """The decision and what it rests on, if its client is visible to ``viewer``."""
    row = session.exec(
        select(Decision, Score, Advisor)
        .join(Score, col(Score.id) == col(Decision.score_id))
        .join(Advisor, col(Advisor.id) == col(Decision.advisor_id))
        .join(Client, col(Client.id) == col(Decision.client_id))
        .where(Decision.id == decision_id, visible_to(viewer))
    ).first()
    return _Records(*row) if row else None


def describe_changes(option: CounterfactualOption, lang: str) -> str:
    """ "Credit score from 612 points to 672 points and ..." in ``lang``."""
    parts = []
    for i, change in enumerate(option.changes):
        feature = FEATURES_BY_NAME[change.feature]
        label = feature.label_fr if lang == "fr" else feature.label_en
        parts.append(
            translate("counterfactual.move", lang).format(
                label=label if i == 0 else label.lower(),
                before=_with_unit(change.feature, change.before, lang),
                to=_with_unit(change.feature, change.to, lang),
            )
        )
    return translate("counterfactual.and", lang).join(parts)


def _with_unit(name: str, value: float, lang: str) -> str:
    """The value with its unit, singular below 2 in French and at 1 in English."""
    text = format_value(FEATURES_BY_NAME[name], value, lang)
    singular = abs(value) < 2 if lang == "fr" else value == 1
    return text[:-1] if singular and text.endswith("s") else text


def _t(key: str, lang: str, **values) -> str:
    return translate(key, lang).format(**values) if values else translate(key, lang)


def _data_table(score: Score, lang: str) -> tuple[tuple[str, ...], ...]:
    values, freshness = score.features["values"], score.freshness
    header = tuple(_t(f"letter.data.column.{c}", lang) for c in ("data", "value", "as_of"))
    rows = tuple(
        (
            f.label_fr if lang == "fr" else f.label_en,
            _with_unit(f.name, values[f.name], lang),
            format_date(date.fromisoformat(freshness[f.name]["as_of"]), lang),
        )
        for f in FEATURES
    )
    return (header, *rows)


def _factors(score: Score, lang: str) -> Section:
    values = score.features["values"]
    spoken = [r for r in score.reasons if r["feature"] not in UNSPOKEN_REASON_FEATURES][:MAIN_FACTORS]
    bullets = tuple(
        _t(
            f"letter.reason.{r['code']}",
            lang,
            value=_with_unit(r["feature"], values[r["feature"]], lang),
        )
        for r in spoken
    )
    heading = _t("letter.factors.heading", lang)
    if not bullets:
        return Section(heading, (_t("letter.factors.none", lang),))
    return Section(heading, (_t("letter.factors.intro", lang),), bullets)


def _what_would_change(records: _Records, lang: str) -> Section:
    heading = _t("letter.change.heading", lang)
    if records.decision.outcome == Outcome.approved:
        return Section(heading, (_t("letter.change.approved", lang),))
    if records.score.recommendation == Recommendation.eligible:
        return Section(heading, (_t("letter.change.human", lang),))
    options = options_for_score(records.score)
    if not options:
        return Section(heading, (_t("letter.change.none", lang),))
    bullets = tuple(
        _t(
            "letter.change.option",
            lang,
            changes=describe_changes(o, lang),
            probability=format_percent(o.probability, lang),
        )
        for o in options
    )
    return Section(
        heading, (_t("letter.change.intro", lang),), bullets, closing=_t("letter.change.caveat", lang)
    )


def compose(records: _Records, lang: str) -> Letter:
    """The letter's words in ``lang`` from the stored records and the settings."""
    settings = get_settings()
    decision, score, advisor = records.decision, records.score, records.advisor
    decided_on = decision.created_at.date()
    person = _t(f"role.{advisor.role}", lang)
    if settings.letter_names_advisor:
        person = f"{person}, {advisor.full_name}"
    who = Section(
        _t("letter.who.heading", lang),
        (
            _t("letter.who.person", lang, person=person),
            _t(
                "letter.who.score",
                lang,
                model=score.model_version[:12],
                date=format_date(score.created_at, lang),
                probability=format_percent(score.probability, lang),
                threshold=format_percent(score.threshold, lang),
                recommendation=_t(f"recommendation.{score.recommendation}", lang),
            ),
        ),
    )
    rights = Section(
        _t("letter.rights.heading", lang),
        bullets=tuple(_t(f"letter.rights.{right}", lang) for right in RIGHTS),
    )
    how = Section(
        _t("letter.dpo.heading", lang),
        (
            _t(
                "letter.rights.how",
                lang,
                contest_until=format_date(decided_on + timedelta(days=settings.contest_days), lang),
                contest_days=settings.contest_days,
            ),
            _t("letter.dpo.contact", lang, contact=settings.dpo_contact),
        ),
    )
    return Letter(
        lang=lang,
        bank=settings.bank_name,
        title=_t("letter.title", lang),
        dated=_t("letter.dated", lang, date=format_date(decided_on, lang)),
        references=(
            _t("letter.reference", lang, decision=decision.id),
            _t("letter.client", lang, client=str(decision.client_id)),
        ),
        greeting=_t("letter.greeting", lang),
        sections=(
            Section(
                _t("letter.decision.heading", lang),
                (_t(f"letter.decision.{decision.outcome}", lang, date=format_date(decided_on, lang)),),
            ),
            who,
            Section(
                _t("letter.data.heading", lang),
                (_t("letter.data.intro", lang),),
                (),
                _data_table(score, lang),
            ),
            _factors(score, lang),
            _what_would_change(records, lang),
            rights,
            how,
        ),
        closing=_t("letter.closing", lang),
        signature=_t("letter.signature", lang, bank=settings.bank_name),
        footer=_t("letter.footer", lang, bank=settings.bank_name, decision=decision.id, page="{page}"),
    )


def decision_letter(
    session: Session, viewer: Viewer, decision_id: int, lang: str, *, request_id: str | None = None
) -> bytes | None:
    """The letter as a PDF, audited; None when the decision is unknown or its
    client is not visible to ``viewer`` (callers answer 'not found')."""
    records = _records(session, viewer, decision_id)
    audit.record(
        session,
        actor=viewer.actor,
        action="decision_letter",
        object_type="decision",
        object_id=str(decision_id),
        outcome="success" if records else "not_found",
        request_id=request_id,
        details={"lang": lang, "client_id": str(records.decision.client_id)} if records else {"lang": lang},
    )
    return render_pdf(compose(records, lang)) if records else None
