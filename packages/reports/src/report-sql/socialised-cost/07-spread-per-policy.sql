-- title: Who bears it, per policy
-- description: Each policy's socialised cost spread across the parties that paid, pro rata to
--   their charges in the months it arose.
-- chart: {"mark": "bar", "encoding": {
--   "y": {"field": "party", "type": "nominal", "title": null},
--   "yOffset": {"field": "policy", "type": "nominal", "sort": {"field": "policy_order", "op": "min"}},
--   "x": {"field": "borne_gbp", "type": "quantitative", "title": "socialised cost borne (£)"},
--   "color": {"field": "policy", "type": "nominal", "sort": {"field": "policy_order", "op": "min"}, "title": "policy"}},
--   "height": {"step": 8}}
-- table: 200
SELECT r.run_label, s.policy_order, s.policy, s.party_name AS party,
  round(sum(s.borne_pence) / 100.0, 2) AS borne_gbp
FROM socialised_spread s
JOIN report_runs r USING (run_id)
GROUP BY r.run_label, s.policy_order, s.policy, s.party_name
ORDER BY r.run_label, s.policy_order, borne_gbp DESC, party;
