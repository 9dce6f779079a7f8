-- title: Alerts per run
-- description: Every alert the meters raised (less those the DCC's alert policy dropped), the
--   meters that raised them, those that never left a meter without WAN, and the delivered ones
--   that reached a party that is not the meter's registered supplier, with how many of those
--   carried consumption readings (personal data of a consumer the party no longer supplies).
SELECT r.run_label,
  count(a.run_id) AS alerts,
  count(DISTINCT a.meter_id) AS meters_alerting,
  count(a.run_id) FILTER (WHERE NOT a.delivered) AS undelivered,
  count(a.run_id) FILTER (WHERE a.delivered AND a.recipient <> a.registered_supplier) AS to_non_registered,
  count(a.run_id) FILTER (WHERE a.delivered AND a.recipient <> a.registered_supplier AND a.carries_reads) AS readings_to_non_registered
FROM report_runs r
LEFT JOIN alerts a USING (run_id)
GROUP BY r.run_label
ORDER BY r.run_label;
