-- title: Alerts by code and day
-- description: Alerts delivered per simulated day (UTC) and alert code.
-- chart: {"mark": "bar", "encoding": {
--   "x": {"field": "day", "type": "temporal", "timeUnit": "utcyearmonthdate", "title": "day"},
--   "y": {"field": "alerts", "type": "quantitative", "aggregate": "sum", "title": "alerts"},
--   "color": {"field": "code", "type": "nominal", "title": "alert code"}}}
-- table: 40
SELECT r.run_label, CAST(a.t AS DATE) AS day, a.code, count(*) AS alerts
FROM alerts a
JOIN report_runs r USING (run_id)
GROUP BY ALL
ORDER BY r.run_label, day, a.code;
