-- title: Charges and cover per party and month
-- description: Every party and month: charges, the cover the current rule and the two- and
--   three-month rules would ask for, the cover lodged, what went unpaid, what the DCC drew from
--   the cover, the cover left after that month's draw, and what was socialised.
-- table: 500
WITH left_over AS (
  SELECT run_id, party, month,
    cover_lodged_pence - sum(cover_drawn_pence) OVER (PARTITION BY run_id, party ORDER BY month) AS cover_left_pence
  FROM credit_cover
)
SELECT r.run_label, q.party_name AS party, q.month,
  any_value(q.charges_pence) / 100.0 AS charges_gbp,
  sum(q.required_pence) FILTER (WHERE q.policy = 'current rule') / 100.0 AS current_rule_gbp,
  sum(q.required_pence) FILTER (WHERE q.policy = 'two months') / 100.0 AS two_months_gbp,
  sum(q.required_pence) FILTER (WHERE q.policy = 'three months') / 100.0 AS three_months_gbp,
  any_value(q.cover_lodged_pence) / 100.0 AS lodged_gbp,
  any_value(q.unpaid_pence) / 100.0 AS unpaid_gbp,
  any_value(q.cover_drawn_pence) / 100.0 AS drawn_gbp,
  any_value(l.cover_left_pence) / 100.0 AS cover_left_gbp,
  any_value(q.socialised_pence) / 100.0 AS socialised_gbp
FROM cover_required q
JOIN left_over l USING (run_id, party, month)
JOIN report_runs r USING (run_id)
GROUP BY r.run_label, q.party_name, q.month
ORDER BY r.run_label, party, q.month;
