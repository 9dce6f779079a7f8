-- title: Shortfall against each rule
-- description: How much more cover each party would have had to lodge (in the same month as
--   above) to meet each rule; 0 where what it lodged was enough.
-- chart: {"transform": [{"fold": ["current_rule_gbp", "one_month_gbp", "two_months_gbp",
--   "three_months_gbp", "rating_weighted_gbp"], "as": ["rule", "shortfall_gbp"]}],
--   "mark": "bar", "encoding": {
--   "y": {"field": "party", "type": "nominal", "title": null},
--   "yOffset": {"field": "rule", "type": "nominal", "sort": null},
--   "x": {"field": "shortfall_gbp", "type": "quantitative", "title": "shortfall (£)"},
--   "color": {"field": "rule", "type": "nominal", "sort": null, "title": "rule",
--     "legend": {"labelExpr": "replace(replace(datum.label, /_gbp$/, ''), /_/g, ' ')"}}},
--   "height": {"step": 8}}
WITH reference AS (
  SELECT run_id, party,
    coalesce(max(month) FILTER (WHERE paid_pence > 0 AND unpaid_pence = 0), min(month)) AS month
  FROM credit_cover
  GROUP BY run_id, party
),
required AS (
  SELECT q.run_id, q.party_name, q.month, q.rating, q.policy, q.required_pence, q.cover_lodged_pence
  FROM cover_required q JOIN reference USING (run_id, party, month)
)
SELECT r.run_label, q.party_name AS party, any_value(q.rating) AS rating, q.month,
  any_value(q.cover_lodged_pence) / 100.0 AS lodged_gbp,
  sum(greatest(0, q.required_pence - q.cover_lodged_pence)) FILTER (WHERE q.policy = 'current rule') / 100.0 AS current_rule_gbp,
  sum(greatest(0, q.required_pence - q.cover_lodged_pence)) FILTER (WHERE q.policy = 'one month') / 100.0 AS one_month_gbp,
  sum(greatest(0, q.required_pence - q.cover_lodged_pence)) FILTER (WHERE q.policy = 'two months') / 100.0 AS two_months_gbp,
  sum(greatest(0, q.required_pence - q.cover_lodged_pence)) FILTER (WHERE q.policy = 'three months') / 100.0 AS three_months_gbp,
  sum(greatest(0, q.required_pence - q.cover_lodged_pence)) FILTER (WHERE q.policy = 'rating-weighted') / 100.0 AS rating_weighted_gbp
FROM required q
JOIN report_runs r USING (run_id)
GROUP BY r.run_label, q.party_name, q.month
ORDER BY r.run_label, party;
