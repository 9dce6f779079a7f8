-- title: Low-credit and supply-disabled alerts around a supplier failure
-- description: For each party that ceased trading (a SoLR event), the prepayment alerts raised by
--   its customers' meters (registered to it at the start of the run) in the week before and the
--   four weeks after the failure.
-- note: Day 0 is the 24 hours from the moment of failure.
WITH failures AS (
  SELECT run_id, party, name AS failed_party, failed_at FROM parties WHERE failed_at IS NOT NULL
),
counted AS (
  SELECT f.run_id, f.failed_party, f.failed_at, a.code,
    count(*) FILTER (WHERE a.t < f.failed_at) AS week_before,
    count(*) FILTER (WHERE a.t >= f.failed_at) AS four_weeks_after,
    count(DISTINCT a.meter_id) AS meters
  FROM failures f
  JOIN meters m ON m.run_id = f.run_id AND m.supplier = f.party
  JOIN alerts a ON a.run_id = m.run_id AND a.meter_id = m.meter_id
  WHERE a.code IN ('LOW_CREDIT', 'EMERGENCY_CREDIT_ACTIVATED', 'EMERGENCY_CREDIT_EXHAUSTED', 'SUPPLY_DISABLED')
    AND a.t >= f.failed_at - INTERVAL 7 DAY AND a.t < f.failed_at + INTERVAL 28 DAY
  GROUP BY ALL
)
SELECT r.run_label, c.failed_party, c.failed_at, c.code, c.week_before, c.four_weeks_after, c.meters
FROM counted c
JOIN report_runs r USING (run_id)
ORDER BY r.run_label, c.failed_at, c.failed_party, c.code;
