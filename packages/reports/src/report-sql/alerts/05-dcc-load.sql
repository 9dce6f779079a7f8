-- title: DCC alert load per hour
-- description: Alerts the DCC carried per hour of simulated time: median, 95th and 99th
--   percentiles and the peak hour, over every hour of the run (quiet hours count as 0). A step's
--   alerts are spread evenly over the hours it lasts.
-- chart: {"transform": [{"fold": ["p50_per_hour", "p95_per_hour", "p99_per_hour", "max_per_hour"],
--   "as": ["statistic", "alerts_per_hour"]}],
--   "mark": "bar", "encoding": {
--   "x": {"field": "statistic", "type": "nominal", "sort": null, "title": null,
--     "axis": {"labelExpr": "replace(datum.label, '_per_hour', '')", "labelAngle": 0}},
--   "xOffset": {"field": "run_label", "type": "nominal"},
--   "y": {"field": "alerts_per_hour", "type": "quantitative", "title": "alerts per hour"},
--   "color": {"field": "run_label", "type": "nominal", "title": "run"}}}
SELECT run_label,
  count(*) AS hours,
  round(sum(alerts)) AS alerts,
  round(quantile_cont(alerts, 0.5), 2) AS p50_per_hour,
  round(quantile_cont(alerts, 0.95), 2) AS p95_per_hour,
  round(quantile_cont(alerts, 0.99), 2) AS p99_per_hour,
  round(max(alerts), 2) AS max_per_hour
FROM alert_load_per_hour
GROUP BY run_label
ORDER BY run_label;
