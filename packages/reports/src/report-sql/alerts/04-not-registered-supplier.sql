-- title: Alerts to a party that is not the registered supplier
-- description: Alerts that reached the party in the meter's supplier cell while registration data
--   named another supplier (SR 6.23 missing after a change of supplier, say): who received them,
--   whose consumers they were, and how many carried readings.
-- chart: {"mark": "bar", "encoding": {
--   "y": {"field": "recipient", "type": "nominal", "sort": "-x", "title": "received by"},
--   "x": {"field": "alerts", "type": "quantitative", "aggregate": "sum", "title": "alerts"},
--   "color": {"field": "registered_supplier", "type": "nominal", "title": "registered supplier"}}}
SELECT r.run_label, a.recipient_name AS recipient, a.registered_supplier_name AS registered_supplier, a.code,
  count(*) AS alerts, count(*) FILTER (WHERE a.carries_reads) AS with_readings
FROM alerts_named a
JOIN report_runs r USING (run_id)
WHERE a.delivered AND NOT a.to_registered_supplier
GROUP BY ALL
ORDER BY r.run_label, alerts DESC, recipient, registered_supplier, a.code;
