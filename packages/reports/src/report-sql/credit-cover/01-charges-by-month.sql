-- title: DCC charges per party and month
-- description: What the DCC charged each party, what it paid and what it left unpaid.
-- chart: {"mark": "bar", "encoding": {
--   "x": {"field": "month", "type": "ordinal", "timeUnit": "utcyearmonth", "title": "month"},
--   "y": {"field": "charges_gbp", "type": "quantitative", "aggregate": "sum", "title": "charges (£)"},
--   "color": {"field": "party", "type": "nominal", "title": "party"}}}
SELECT r.run_label, c.month, c.party_name AS party,
  c.charges_pence / 100.0 AS charges_gbp,
  c.paid_pence / 100.0 AS paid_gbp,
  c.unpaid_pence / 100.0 AS unpaid_gbp
FROM credit_cover c
JOIN report_runs r USING (run_id)
ORDER BY r.run_label, c.month, c.party_name;
