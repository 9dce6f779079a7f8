-- title: DCC alert load, hour by hour
-- description: The series behind the percentiles above (the CSV has every hour).
-- chart: {"mark": {"type": "line", "interpolate": "step-after"}, "encoding": {
--   "x": {"field": "hour", "type": "temporal", "scale": {"type": "utc"}, "title": "hour (UTC)"},
--   "y": {"field": "alerts", "type": "quantitative", "title": "alerts per hour"},
--   "color": {"field": "run_label", "type": "nominal", "title": "run"}}}
-- table: none
SELECT run_label, hour, round(alerts, 3) AS alerts
FROM alert_load_per_hour
ORDER BY run_label, hour;
