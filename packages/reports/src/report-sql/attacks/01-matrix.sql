-- title: Attacks: sent, rejected by the DCC, rejected by the meter, accepted
-- description: One row per attack, in the matrix's order. dcc_codes and meter_codes list the
--   reason codes with their counts; undelivered counts commands the WAN lost; accepted counts
--   commands a meter acted on, and must be 0.
WITH codes AS (
  SELECT run_id, attack, stopped_by,
    string_agg(reason::VARCHAR || ' ' || n, ', ' ORDER BY reason) AS codes
  FROM (SELECT run_id, attack, stopped_by, reason, count(*) AS n FROM attack_outcomes GROUP BY ALL)
  GROUP BY ALL
)
SELECT r.run_label, a.attack,
  count(*) AS sent,
  count(*) FILTER (WHERE a.stopped_by = 'dcc') AS rejected_by_dcc,
  coalesce(any_value(d.codes), '') AS dcc_codes,
  count(*) FILTER (WHERE a.stopped_by = 'meter') AS rejected_by_meter,
  coalesce(any_value(m.codes), '') AS meter_codes,
  count(*) FILTER (WHERE a.stopped_by = 'undelivered') AS undelivered,
  count(*) FILTER (WHERE a.stopped_by = 'accepted') AS accepted
FROM attack_outcomes a
JOIN report_runs r USING (run_id)
LEFT JOIN codes d ON d.run_id = a.run_id AND d.attack = a.attack AND d.stopped_by = 'dcc'
LEFT JOIN codes m ON m.run_id = a.run_id AND m.attack = a.attack AND m.stopped_by = 'meter'
GROUP BY r.run_label, a.attack
ORDER BY r.run_label, a.attack;
