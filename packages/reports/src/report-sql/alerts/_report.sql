-- title: Alerts
-- description: What the meters told whom: alerts by code, day and recipient; alerts and readings
--   that reached a party that is not the registered supplier; the load alerts put on the DCC per
--   hour; and the low-credit and supply-disabled alerts around a supplier failure (a SoLR event).

-- The DCC's alert load per hour of the run (delivered alerts only: a meter without WAN sends none): a step's alerts are spread evenly over the hours the
-- step lasts (a daily step's alerts count 1/24 in each of its hours); hours without alerts count 0.
CREATE OR REPLACE TEMP VIEW alert_load_per_hour AS
WITH per_step AS (
  SELECT run_id, t, count(*) AS alerts FROM alerts WHERE delivered GROUP BY ALL
),
spread AS (
  SELECT s.run_id,
    unnest(range(date_trunc('hour', s.t), date_trunc('hour', s.t) + to_minutes(greatest(r.step_minutes, 60)),
      INTERVAL 1 HOUR)) AS hour,
    s.alerts * 60.0 / greatest(r.step_minutes, 60) AS alerts
  FROM per_step s JOIN report_runs r USING (run_id)
),
hours AS (
  SELECT run_id, run_label,
    unnest(range(date_trunc('hour', start), start + to_minutes(step_minutes * steps), INTERVAL 1 HOUR)) AS hour
  FROM report_runs
)
SELECT h.run_id, h.run_label, h.hour, coalesce(sum(s.alerts), 0) AS alerts
FROM hours h LEFT JOIN spread s USING (run_id, hour)
GROUP BY ALL;
