-- title: Socialised cost per run
-- description: Parties that left charges unpaid, what they left unpaid, the cover the DCC drew, the
--   socialised remainder, and the largest single case.
SELECT r.run_label,
  count(p.party) AS failed_parties,
  coalesce(sum(p.unpaid_pence), 0) / 100.0 AS unpaid_gbp,
  coalesce(sum(p.drawn_pence), 0) / 100.0 AS cover_drawn_gbp,
  coalesce(sum(p.socialised_pence), 0) / 100.0 AS socialised_gbp,
  arg_max(p.party_name, p.socialised_pence) AS largest_case,
  coalesce(max(p.socialised_pence), 0) / 100.0 AS largest_case_gbp
FROM report_runs r
LEFT JOIN (
  SELECT run_id, party, party_name, sum(unpaid_pence) AS unpaid_pence, sum(cover_drawn_pence) AS drawn_pence,
    sum(socialised_pence) AS socialised_pence
  FROM credit_cover
  GROUP BY ALL
  HAVING sum(unpaid_pence) > 0
) p USING (run_id)
GROUP BY r.run_label
ORDER BY r.run_label;
