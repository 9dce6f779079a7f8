-- title: Each failed party
-- description: When it failed, how many months it left unpaid, its monthly charges, what it left
--   unpaid in all, the cover it had lodged, what the DCC drew, and what was socialised.
-- chart: {"transform": [{"fold": ["cover_drawn_gbp", "socialised_gbp"], "as": ["part", "gbp"]}],
--   "mark": "bar", "encoding": {
--   "y": {"field": "party", "type": "nominal", "sort": "-x", "title": null},
--   "x": {"field": "gbp", "type": "quantitative", "title": "unpaid charges (£)"},
--   "color": {"field": "part", "type": "nominal", "title": "met by",
--     "scale": {"domain": ["cover_drawn_gbp", "socialised_gbp"], "range": ["#4c78a8", "#e45756"]},
--     "legend": {"labelExpr": "replace(replace(datum.label, /_gbp$/, ''), /_/g, ' ')"}}}}
SELECT r.run_label, c.party_name AS party, any_value(p.failed_at) AS failed_at,
  count(*) FILTER (WHERE c.unpaid_pence > 0) AS unpaid_months,
  max(c.charges_pence) / 100.0 AS monthly_charges_gbp,
  sum(c.unpaid_pence) / 100.0 AS unpaid_gbp,
  any_value(c.cover_lodged_pence) / 100.0 AS cover_lodged_gbp,
  sum(c.cover_drawn_pence) / 100.0 AS cover_drawn_gbp,
  sum(c.socialised_pence) / 100.0 AS socialised_gbp
FROM credit_cover c
JOIN report_runs r USING (run_id)
LEFT JOIN parties p ON p.run_id = c.run_id AND p.party = c.party
GROUP BY r.run_label, c.party_name
HAVING sum(c.unpaid_pence) > 0
ORDER BY r.run_label, socialised_gbp DESC, party;
