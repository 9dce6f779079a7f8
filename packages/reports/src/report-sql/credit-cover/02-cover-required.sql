-- title: Cover required under each rule
-- description: For each party, in the last month it paid in full (for a party that never did: its
--   first month): its monthly charges, its rating, the cover it had lodged, and the cover each
--   rule would ask for.
-- chart: {"transform": [{"fold": ["lodged_gbp", "current_rule_gbp", "one_month_gbp", "two_months_gbp",
--   "three_months_gbp", "rating_weighted_gbp"], "as": ["rule", "cover_gbp"]}],
--   "mark": "bar", "encoding": {
--   "y": {"field": "party", "type": "nominal", "title": null},
--   "yOffset": {"field": "rule", "type": "nominal", "sort": null},
--   "x": {"field": "cover_gbp", "type": "quantitative", "title": "cover (£)"},
--   "color": {"field": "rule", "type": "nominal", "sort": null, "title": "cover",
--     "legend": {"labelExpr": "replace(replace(datum.label, /_gbp$/, ''), /_/g, ' ')"}}},
--   "height": {"step": 8}}
WITH reference AS (
  SELECT run_id, party,
    coalesce(max(month) FILTER (WHERE paid_pence > 0 AND unpaid_pence = 0), min(month)) AS month
  FROM credit_cover
  GROUP BY run_id, party
)
SELECT r.run_label, q.party_name AS party, any_value(q.rating) AS rating, q.month,
  any_value(q.charges_pence) / 100.0 AS monthly_charges_gbp,
  sum(q.required_pence) FILTER (WHERE q.policy = 'lodged') / 100.0 AS lodged_gbp,
  sum(q.required_pence) FILTER (WHERE q.policy = 'current rule') / 100.0 AS current_rule_gbp,
  sum(q.required_pence) FILTER (WHERE q.policy = 'one month') / 100.0 AS one_month_gbp,
  sum(q.required_pence) FILTER (WHERE q.policy = 'two months') / 100.0 AS two_months_gbp,
  sum(q.required_pence) FILTER (WHERE q.policy = 'three months') / 100.0 AS three_months_gbp,
  sum(q.required_pence) FILTER (WHERE q.policy = 'rating-weighted') / 100.0 AS rating_weighted_gbp
FROM cover_required q
JOIN reference USING (run_id, party, month)
JOIN report_runs r USING (run_id)
GROUP BY r.run_label, q.party_name, q.month
ORDER BY r.run_label, monthly_charges_gbp DESC, party;
