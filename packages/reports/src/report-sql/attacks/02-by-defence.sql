-- title: Who stopped each attack
-- description: Hostile commands per attack and what stopped them: the DCC, the meter, the WAN
--   (undelivered), or no one (accepted). A bar with any "accepted" in it is a defence that failed.
-- chart: {"mark": "bar", "encoding": {
--   "x": {"field": "attack", "type": "nominal", "sort": null, "title": "attack"},
--   "y": {"field": "commands", "type": "quantitative", "aggregate": "sum", "title": "commands"},
--   "color": {"field": "stopped_by", "type": "nominal", "title": "stopped by"}}}
-- table: none
SELECT r.run_label, a.attack, a.stopped_by, count(*) AS commands
FROM attack_outcomes a
JOIN report_runs r USING (run_id)
GROUP BY ALL
ORDER BY r.run_label, a.attack, a.stopped_by;
