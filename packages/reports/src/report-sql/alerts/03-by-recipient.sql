-- title: Alerts by recipient
-- description: The party each alert went to (the one in the meter's supplier cell), its role, the
--   alert code, and how many of the alerts carried consumption readings.
-- chart: {"mark": "bar", "encoding": {
--   "y": {"field": "recipient", "type": "nominal", "sort": "-x", "title": null},
--   "x": {"field": "alerts", "type": "quantitative", "aggregate": "sum", "title": "alerts"},
--   "color": {"field": "code", "type": "nominal", "title": "alert code"}}}
SELECT r.run_label, a.recipient_name AS recipient, p.role AS recipient_role, a.code,
  count(*) AS alerts, count(*) FILTER (WHERE a.carries_reads) AS with_readings
FROM alerts_named a
JOIN report_runs r USING (run_id)
LEFT JOIN parties p ON p.run_id = a.run_id AND p.party = a.recipient
GROUP BY ALL
ORDER BY r.run_label, alerts DESC, recipient, a.code;
