-- title: Around a supplier failure, day by day
-- description: The same alerts per day, from 7 days before the failure (−7) to 27 days after;
--   every failed party's customers together.
-- chart: {"mark": {"type": "line", "point": true}, "encoding": {
--   "x": {"field": "day_from_failure", "type": "quantitative", "title": "days from the failure",
--     "scale": {"domain": [-7, 27], "nice": false}},
--   "y": {"field": "alerts", "type": "quantitative", "aggregate": "sum", "title": "alerts"},
--   "color": {"field": "code", "type": "nominal", "title": "alert code"}}}
-- table: none
WITH failures AS (
  SELECT run_id, party, name AS failed_party, failed_at FROM parties WHERE failed_at IS NOT NULL
),
codes AS (
  SELECT unnest(['LOW_CREDIT', 'EMERGENCY_CREDIT_ACTIVATED', 'EMERGENCY_CREDIT_EXHAUSTED', 'SUPPLY_DISABLED']) AS code
),
grid AS (
  SELECT f.*, c.code, unnest(range(-7, 28)) AS day_from_failure FROM failures f CROSS JOIN codes c
),
counted AS (
  SELECT f.run_id, f.party, CAST(a.code AS VARCHAR) AS code,
    CAST(floor(epoch(a.t - f.failed_at) / 86400) AS INTEGER) AS day_from_failure, count(*) AS alerts
  FROM failures f
  JOIN meters m ON m.run_id = f.run_id AND m.supplier = f.party
  JOIN alerts a ON a.run_id = m.run_id AND a.meter_id = m.meter_id
  WHERE a.t >= f.failed_at - INTERVAL 7 DAY AND a.t < f.failed_at + INTERVAL 28 DAY
  GROUP BY ALL
)
SELECT r.run_label, g.failed_party, g.day_from_failure, g.code, coalesce(c.alerts, 0) AS alerts
FROM grid g
JOIN report_runs r USING (run_id)
LEFT JOIN counted c ON c.run_id = g.run_id AND c.party = g.party AND c.code = g.code
  AND c.day_from_failure = g.day_from_failure
ORDER BY r.run_label, g.failed_party, g.day_from_failure, g.code;
