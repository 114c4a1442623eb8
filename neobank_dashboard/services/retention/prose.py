"""What the purge does, in words: the records of processing quote these texts.

One text per category of :mod:`.selection`'s statements: a change to a
statement changes its text in the same commit.
"""

from __future__ import annotations

from neobank_dashboard.db.models import RetentionCategory

RULES: dict[RetentionCategory, str] = {
    RetentionCategory.security_logs: (
        "Browser sessions (AuthSession) and audit events are deleted once their creation "
        "date is older than the duration. Audit events go oldest first, as one block at "
        "the head of the log (the head of each of its hash chains); the purge report event "
        "stores, for every chain, the hash of the last event deleted from it as that "
        "chain's new anchor, so `.venv/bin/neobank audit verify` still proves "
        "the rest intact."
    ),
    RetentionCategory.scoring_events: (
        "Score rows are deleted once older than the duration, except a score a decision "
        "or a recorded outcome rests on: it is the record of what the advisor saw (and "
        "what the backtest compares with what followed), so it stays with the client "
        "record; the challenger's shadow score of a deleted score goes with it. When a "
        "client's current score goes, its copy on the client row (the portfolio's current "
        "probability, recommendation and band) is cleared too."
    ),
    RetentionCategory.client_records: (
        "When a relationship ends, the client's retention date becomes the end date plus "
        "the duration. Once it is reached the purge deletes the client and every row that "
        "refers to it (scores, decisions, any table with a foreign key to the client)."
    ),
    RetentionCategory.payment_incidents: (
        "No incident is stored, only the feature 'payment incidents over the last five "
        "years', with the date it was observed. A count observed longer ago than the "
        "duration describes only incidents the FICP itself has deleted: the purge resets "
        "it to 0 and keeps its as-of date, so the value stays stale, a critical feature, "
        "and any new score of the client goes to human review until it is refreshed."
    ),
    RetentionCategory.prospects: (
        "A client without a relationship (no assigned advisor, no approved decision, no "
        "relationship end: a partner's applicant or a refused applicant) is deleted with "
        "every row that refers to it once its last contact is older than the duration. "
        "Last contact is the latest submission or correction of the client's data (the "
        "row's creation or update); rescoring by the bank is not contact."
    ),
    RetentionCategory.erasure: (
        "An erasure request takes the client out of lists and scoring at once (status "
        "erased) and sets its retention date to the end of the legal hold: relationship "
        "end (today if it was running) plus the client-records duration, or today for a "
        "client without a relationship, which no hold covers. The purge then deletes the "
        "client and every row that refers to it."
    ),
}
RESTRICTION_RULE = (
    "A restricted client (GDPR Art. 18) is kept whole, scores included: the purge skips "
    "it until the restriction is lifted, since restriction may be asked precisely to keep "
    "data the controller would otherwise delete (Art. 18(1)(c))."
)
PHYSICAL_DELETION = (
    "Deletion is physical. SQLite overwrites deleted content (`secure_delete`) and the "
    "purge truncates the write-ahead log after committing (`wal_checkpoint(TRUNCATE)`). "
    "On PostgreSQL the rows are deleted and autovacuum later reclaims their space (until "
    "then dead rows stay in the data files: storage must be encrypted at rest). Backups "
    "keep a deleted row until they rotate out. Audit events keep a client's pseudonym, "
    "never its data, for the security-log duration."
)
