-- title: Who bears the socialised cost
-- description: The run's socialised cost, spread month by month across the parties that paid their
--   charges that month, pro rata to those charges.
-- chart: {"mark": "bar", "encoding": {
--   "y": {"field": "party", "type": "nominal", "sort": "-x", "title": null},
--   "x": {"field": "borne_gbp", "type": "quantitative", "title": "socialised cost borne (£)"}}}
SELECT r.run_label, s.party_name AS party,
  sum(s.charges_pence) / 100.0 AS charges_in_those_months_gbp,
  round(sum(s.charges_pence) / sum(sum(s.charges_pence)) OVER (PARTITION BY r.run_label), 4) AS share,
  round(sum(s.borne_pence) / 100.0, 2) AS borne_gbp
FROM socialised_spread s
JOIN report_runs r USING (run_id)
WHERE s.policy = 'lodged'
GROUP BY r.run_label, s.party_name
ORDER BY r.run_label, borne_gbp DESC, party;
