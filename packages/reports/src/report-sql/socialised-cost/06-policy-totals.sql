-- title: Total socialised under each policy
-- description: Per policy: the total socialised and the largest single case.
-- chart: {"mark": "bar", "encoding": {
--   "x": {"field": "policy", "type": "nominal", "sort": {"field": "policy_order", "op": "min"}, "title": null,
--     "axis": {"labelAngle": 0}},
--   "y": {"field": "socialised_gbp", "type": "quantitative", "title": "socialised (£)"},
--   "color": {"field": "policy", "type": "nominal", "sort": {"field": "policy_order", "op": "min"}, "legend": null}}}
WITH per_party AS (
  SELECT run_id, policy_order, policy, party_name, sum(socialised_pence) AS socialised_pence
  FROM socialised_by_policy
  GROUP BY ALL
)
SELECT r.run_label, p.policy_order, p.policy,
  sum(p.socialised_pence) / 100.0 AS socialised_gbp,
  arg_max(p.party_name, p.socialised_pence) AS largest_case,
  max(p.socialised_pence) / 100.0 AS largest_case_gbp
FROM per_party p
JOIN report_runs r USING (run_id)
GROUP BY r.run_label, p.policy_order, p.policy
ORDER BY r.run_label, p.policy_order;
