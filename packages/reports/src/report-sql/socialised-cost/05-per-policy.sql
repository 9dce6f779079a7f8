-- title: Socialised cost under each cover policy
-- description: What would have been socialised had each failed party held the cover a policy asks
--   for (in its first unpaid month). 'lodged' is what happened in the run.
-- chart: {"mark": "bar", "encoding": {
--   "x": {"field": "policy", "type": "nominal", "sort": {"field": "policy_order", "op": "min"}, "title": null,
--     "axis": {"labelAngle": 0}},
--   "y": {"field": "socialised_gbp", "type": "quantitative", "aggregate": "sum", "title": "socialised (£)"},
--   "color": {"field": "party", "type": "nominal", "title": "failed party"}}}
-- table: 200
SELECT r.run_label, s.policy_order, s.policy, s.party_name AS party, any_value(s.rating) AS rating,
  any_value(s.cover_pence) / 100.0 AS cover_held_gbp,
  sum(s.unpaid_pence) / 100.0 AS unpaid_gbp,
  sum(s.socialised_pence) / 100.0 AS socialised_gbp
FROM socialised_by_policy s
JOIN report_runs r USING (run_id)
GROUP BY r.run_label, s.policy_order, s.policy, s.party_name
ORDER BY r.run_label, s.policy_order, socialised_gbp DESC, party;
