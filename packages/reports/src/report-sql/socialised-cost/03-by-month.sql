-- title: Each failed party, month by month
-- description: What each failed party left unpaid per month, what the DCC drew from its cover and
--   what was socialised: cover for the first missed month only leaves every later month socialised.
-- chart: {"transform": [{"fold": ["cover_drawn_gbp", "socialised_gbp"], "as": ["part", "gbp"]}],
--   "mark": "bar", "encoding": {
--   "x": {"field": "month", "type": "ordinal", "timeUnit": "utcyearmonth", "title": "month"},
--   "y": {"field": "gbp", "type": "quantitative", "aggregate": "sum", "title": "unpaid charges (£)"},
--   "color": {"field": "part", "type": "nominal", "title": "met by",
--     "scale": {"domain": ["cover_drawn_gbp", "socialised_gbp"], "range": ["#4c78a8", "#e45756"]},
--     "legend": {"labelExpr": "replace(replace(datum.label, /_gbp$/, ''), /_/g, ' ')"}}}}
-- table: 200
SELECT r.run_label, c.party_name AS party, c.month,
  c.unpaid_pence / 100.0 AS unpaid_gbp,
  c.cover_drawn_pence / 100.0 AS cover_drawn_gbp,
  c.socialised_pence / 100.0 AS socialised_gbp
FROM credit_cover c
JOIN report_runs r USING (run_id)
WHERE c.unpaid_pence > 0
ORDER BY r.run_label, c.party_name, c.month;
