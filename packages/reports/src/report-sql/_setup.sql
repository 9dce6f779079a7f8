-- title: Assumptions and derived views shared by every report
-- note: Run once before the reports' sections, against the run(s) given to "gbfleet report".
-- note: Change the VALUES below in a copy of this folder and run "gbfleet report --sql COPY RUN_DB".
-- note: Money in a run database is integer pence; sections show pounds in columns named *_gbp.

-- The current SEC credit cover rule (SEC Section J3, simplified): cover required = value at risk
-- less the unsecured credit the party's credit rating allows; value at risk = a month of charges
-- plus 40 % (charges are paid about six weeks in arrears).
CREATE OR REPLACE TEMP TABLE report_assumptions AS
SELECT 1.4 AS value_at_risk_uplift;

-- Credit ratings: the unsecured credit each allows under the current rule (pence), and the weight
-- the rating-weighted alternative puts on three months of charges. Illustrative values.
CREATE OR REPLACE TEMP TABLE credit_ratings AS
SELECT * FROM (VALUES
  ('A', 600000000, 0.25),   -- A or better: £6,000,000 unsecured
  ('BBB', 200000000, 0.5),  -- £2,000,000
  ('BB', 50000000, 0.75),   -- £500,000
  ('unrated', 0, 1.0)       -- no unsecured credit: cover for everything at risk
) AS v(rating, unsecured_credit_pence, risk_weight);

-- Each party's rating, by name: the run database holds none. Parties not listed are unrated.
-- (The three listed are the large suppliers of scenarios/credit-cover-dp095.yaml.)
CREATE OR REPLACE TEMP TABLE party_ratings AS
SELECT * FROM (VALUES
  ('Albion Energy', 'A'),
  ('Britannia Power', 'A'),
  ('Caledon Supply', 'BBB')
) AS v(party_name, rating);

-- The cover policies the reports compare. A new policy needs a line here and a WHEN below.
CREATE OR REPLACE TEMP TABLE cover_policies AS
SELECT * FROM (VALUES
  (1, 'lodged', 'the cover the party had lodged (the run''s own figures)'),
  (2, 'current rule', 'value at risk (1.4 × a month of charges) less the unsecured credit of its rating'),
  (3, 'one month', 'one month of charges'),
  (4, 'two months', 'two months of charges'),
  (5, 'three months', 'three months of charges'),
  (6, 'rating-weighted', 'three months of charges × the risk weight of its rating')
) AS v(policy_order, policy, rule);

-- Per party and month: its charges and the cover each policy asks for (pence).
CREATE OR REPLACE TEMP VIEW cover_required AS
SELECT c.run_id, c.party, c.party_name, c.month, c.charges_pence, c.paid_pence, c.unpaid_pence,
  c.cover_lodged_pence, c.cover_drawn_pence, c.socialised_pence,
  coalesce(pr.rating, 'unrated') AS rating, p.policy_order, p.policy,
  CAST(CASE p.policy
    WHEN 'lodged' THEN c.cover_lodged_pence
    WHEN 'current rule' THEN greatest(0, ceil(c.charges_pence * a.value_at_risk_uplift) - cr.unsecured_credit_pence)
    WHEN 'one month' THEN c.charges_pence
    WHEN 'two months' THEN 2 * c.charges_pence
    WHEN 'three months' THEN 3 * c.charges_pence
    WHEN 'rating-weighted' THEN ceil(3 * c.charges_pence * cr.risk_weight)
  END AS BIGINT) AS required_pence
FROM credit_cover c
CROSS JOIN cover_policies p
CROSS JOIN report_assumptions a
LEFT JOIN party_ratings pr ON pr.party_name = c.party_name
JOIN credit_ratings cr ON cr.rating = coalesce(pr.rating, 'unrated');

-- Per failed party, policy and unpaid month: what would have been socialised had the party held
-- the cover that policy asks for in its first unpaid month. The DCC draws the cover month by month
-- against what is unpaid, as the engine does; policy 'lodged' gives the run's own figures.
CREATE OR REPLACE TEMP VIEW socialised_by_policy AS
WITH unpaid AS (
  SELECT run_id, party, month, unpaid_pence,
    sum(unpaid_pence) OVER (PARTITION BY run_id, party ORDER BY month) AS cumulative_unpaid_pence
  FROM credit_cover
  WHERE unpaid_pence > 0
),
first_unpaid AS (
  SELECT run_id, party, min(month) AS month FROM unpaid GROUP BY run_id, party
),
held AS (
  SELECT q.run_id, q.party, q.party_name, q.rating, q.policy_order, q.policy, q.required_pence AS cover_pence
  FROM cover_required q JOIN first_unpaid f USING (run_id, party, month)
),
cumulative AS (
  SELECT u.run_id, u.party, h.party_name, h.rating, h.policy_order, h.policy, u.month, u.unpaid_pence,
    h.cover_pence, greatest(0, u.cumulative_unpaid_pence - h.cover_pence) AS cumulative_socialised_pence
  FROM unpaid u JOIN held h USING (run_id, party)
)
SELECT run_id, party, party_name, rating, policy_order, policy, month, unpaid_pence, cover_pence,
  CAST(cumulative_socialised_pence - coalesce(lag(cumulative_socialised_pence)
    OVER (PARTITION BY run_id, party, policy ORDER BY month), 0) AS BIGINT) AS socialised_pence
FROM cumulative;

-- How each month's socialised amount (per policy) is spread across the parties that paid their
-- charges that month, pro rata to those charges (pence, with fractions).
CREATE OR REPLACE TEMP VIEW socialised_spread AS
WITH monthly AS (
  SELECT run_id, policy_order, policy, month, sum(socialised_pence) AS socialised_pence
  FROM socialised_by_policy
  GROUP BY ALL
),
payers AS (
  SELECT run_id, party, party_name, month, charges_pence,
    sum(charges_pence) OVER (PARTITION BY run_id, month) AS all_charges_pence
  FROM credit_cover
  WHERE paid_pence > 0
)
SELECT m.run_id, m.policy_order, m.policy, m.month, p.party, p.party_name, p.charges_pence,
  p.charges_pence / p.all_charges_pence AS share_of_charges,
  m.socialised_pence * p.charges_pence / p.all_charges_pence AS borne_pence
FROM monthly m JOIN payers p USING (run_id, month)
WHERE m.socialised_pence > 0;
