-- Grow a seeded portfolio to 10,000,000 clients, by hand, in a database of its own.
--
--   createdb -h 127.0.0.1 -U postgres neobank_10m
--   REFLEX_DB_URL=postgresql+psycopg://postgres@127.0.0.1:5432/neobank_10m \
--     .venv/bin/python -m neobank_dashboard.cli seed --clients 100000
--   psql -h 127.0.0.1 -U postgres neobank_10m -f benchmarks/portfolio_scale.sql
--   ... benchmarks/portfolio_scale_benchmark.py --db postgresql+psycopg://.../neobank_10m
--   dropdb -h 127.0.0.1 -U postgres neobank_10m
--
-- The seed's 100,000 clients are copied 99 times (new ids, features jittered
-- within their ranges) and every client gets a score-like latest_* triple from a
-- logistic of its features (threshold 0.2, grey zone 0.15-0.25, as a champion
-- would give), 1 % stay unscored, 0.5 % are restricted. 3 % of the clients get a
-- score and an advisor's decision (a tenth of them overriding the model), 0.3 %
-- an open contest: enough for the decision-status and quick filters to have
-- something to find.
\set ON_ERROR_STOP on
\timing on
SET maintenance_work_mem = '1GB';
SET synchronous_commit = off;

-- Once only: a second run would copy the grown portfolio 100 times over.
DO $$ BEGIN
  IF (SELECT count(*) FROM client) > 1000000 THEN
    RAISE EXCEPTION 'client already holds % rows: run this on a freshly seeded database', (SELECT count(*) FROM client);
  END IF;
END $$;

-- The load goes to a bare table: the indexes, the primary key and the foreign keys
-- that point at it are dropped first (saved) and rebuilt after (a random uuid key
-- maintained row by row made the load 10x slower). All of it in one transaction:
-- a failure (ON_ERROR_STOP) rolls the drops back with the rest, so a re-run finds the
-- indexes still there to save. (Run outside one, a failure after the drops left a
-- table without indexes, and the re-run saved, then rebuilt, none.)
BEGIN;
CREATE TEMP TABLE client_indexes AS
  SELECT indexname, indexdef FROM pg_indexes
  WHERE tablename = 'client' AND indexname <> 'client_pkey';
CREATE TEMP TABLE client_references AS
  SELECT conrelid::regclass::text AS tab, conname, pg_get_constraintdef(oid) AS def
  FROM pg_constraint WHERE confrelid = 'client'::regclass;
CREATE TEMP TABLE base AS SELECT * FROM client;
DO $$ DECLARE r record; BEGIN
  FOR r IN SELECT indexname FROM client_indexes LOOP EXECUTE 'DROP INDEX IF EXISTS ' || r.indexname; END LOOP;
  FOR r IN SELECT * FROM client_references LOOP
    EXECUTE format('ALTER TABLE %s DROP CONSTRAINT %I', r.tab, r.conname);
  END LOOP;
END $$;
TRUNCATE client;
ALTER TABLE client DROP CONSTRAINT client_pkey;

-- g = 0 is the seed's client itself; 1-99 copies with new ids and jittered features.
-- The score: a logistic of the features; recommendation and band as the app derives
-- them from threshold 0.2 and grey zone 0.15-0.25; 1 % unscored.
INSERT INTO client
SELECT id, age, income, seniority, payment_incidents, credit_score, age_as_of, income_as_of,
       seniority_as_of, payment_incidents_as_of, credit_score_as_of, oldest_as_of, advisor_id,
       submitted_by, CASE WHEN random() < 0.005 THEN 'restricted' ELSE status END, objection,
       relationship_ended_on, retention_until, created_at, updated_at,
       p, CASE WHEN p BETWEEN 0.15 AND 0.25 THEN 'review' WHEN p < 0.2 THEN 'eligible' ELSE 'not_eligible' END,
       CASE WHEN p < 0.1 THEN 'A' WHEN p < 0.15 THEN 'B' WHEN p <= 0.25 THEN 'C' WHEN p <= 0.4 THEN 'D'
            ELSE 'E' END,
       CASE WHEN p IS NOT NULL THEN now() - random() * interval '30 days' END
FROM (
  SELECT j.*, CASE WHEN random() >= 0.01 THEN
           1 / (1 + exp(-(-2.0 + 0.7 * j.payment_incidents - 0.012 * (j.credit_score - 650)
                         - 0.6 * ln(greatest(j.income, 1000) / 30000) - 0.01 * (j.age - 43) + 0.5 * (random() - 0.5))))
         END AS p
  FROM (
    SELECT CASE WHEN g = 0 THEN b.id ELSE gen_random_uuid() END AS id,
           CASE WHEN g = 0 THEN b.age ELSE least(85, greatest(18, b.age + (g % 5) - 2)) END AS age,
           CASE WHEN g = 0 THEN b.income
                ELSE round((b.income * (0.9 + 0.2 * random()))::numeric, 2)::float END AS income,
           b.seniority, b.payment_incidents,
           CASE WHEN g = 0 THEN b.credit_score
                ELSE least(850, greatest(300, b.credit_score + (g % 21) - 10)) END AS credit_score,
           b.age_as_of, b.income_as_of, b.seniority_as_of, b.payment_incidents_as_of, b.credit_score_as_of,
           b.oldest_as_of, b.advisor_id, b.submitted_by, b.status, b.objection, b.relationship_ended_on,
           b.retention_until, b.created_at, b.updated_at
    FROM base b, generate_series(0, 99) AS g
  ) AS j
) AS scored;

ALTER TABLE client ADD PRIMARY KEY (id);
DO $$ DECLARE r record; BEGIN
  FOR r IN SELECT indexdef FROM client_indexes LOOP EXECUTE r.indexdef; END LOOP;
  FOR r IN SELECT * FROM client_references LOOP
    EXECUTE format('ALTER TABLE %s ADD CONSTRAINT %I %s', r.tab, r.conname, r.def);
  END LOOP;
END $$;
COMMIT;
VACUUM ANALYZE client;

-- Decisions: one score (the seed's feature snapshot shape, no explanation) and one decision each.
CREATE TEMP TABLE decided AS
  SELECT id, latest_probability AS p, latest_recommendation AS rec, latest_risk_band AS band,
         age, income, seniority, payment_incidents, credit_score, row_number() OVER () AS n
  FROM client TABLESAMPLE BERNOULLI (3) WHERE latest_probability IS NOT NULL;
INSERT INTO score (client_id, model_version, features, probability, recommendation, risk_band, threshold,
                   base_value, contributions, reasons, freshness, channel, actor, superseded, created_at)
SELECT id, 'scale', json_build_object('values', json_build_object('age', age, 'income', income,
         'seniority', seniority, 'payment_incidents', payment_incidents, 'credit_score', credit_score)),
       p, rec, band, 0.2, -1.5, '{}', '[]', '{}', 'batch', 'scale', false, now() - interval '1 day'
FROM decided;
INSERT INTO decision (score_id, client_id, advisor_id, outcome, overrides_recommendation, justification,
                      needs_review, created_at)
SELECT s.id, s.client_id, 1 + (d.n % 2),
       CASE WHEN d.n % 10 = 0 THEN 'refused' WHEN d.rec = 'not_eligible' THEN 'refused'
            WHEN d.rec = 'review' THEN 'referred' ELSE 'approved' END,
       d.n % 10 = 0, CASE WHEN d.n % 10 = 0 OR d.rec = 'not_eligible' THEN 'scale test' END,
       false, now() - interval '12 hours'
FROM score s JOIN decided d ON d.id = s.client_id WHERE s.actor = 'scale';
-- The client's latest decision outcome, as services.decisions.note_latest_decision keeps it.
UPDATE client c SET latest_decision_outcome = latest.outcome
FROM (SELECT DISTINCT ON (client_id) client_id, outcome FROM decision
      ORDER BY client_id, created_at DESC, id DESC) AS latest
WHERE latest.client_id = c.id;
INSERT INTO contest (decision_id, client_id, statement, corrections, score_before_id, received_by, created_at)
SELECT d.id, d.client_id, 'scale test', '{}', d.score_id, 3, now() - interval '6 hours'
FROM decision d WHERE d.id % 10 = 3;
INSERT INTO review (kind, decision_id, client_id, contest_id, due_on, status, created_at)
SELECT 'contest', c.decision_id, c.client_id, c.id, current_date + 14, 'open', c.created_at FROM contest c;
VACUUM ANALYZE client; VACUUM ANALYZE score; VACUUM ANALYZE decision; VACUUM ANALYZE contest; VACUUM ANALYZE review;
SELECT count(*) AS clients FROM client;
