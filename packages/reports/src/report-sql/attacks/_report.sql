-- title: Attack matrix
-- description: Commands that hostile parties sent during the run (commands.attack is not 'none';
--   scenarios/hostile-party.yaml, docs/scenario-hostile.md): for each attack, how many were sent,
--   how many the DCC refused and how many the meters refused, by reason code, and how many were
--   accepted — which must be 0. Empty for a run without hostile parties.

-- Who stopped each hostile command: the DCC (a DCC_ reason), the WAN (never delivered), the meter
-- (any other refusal: its frame, counter, UTRN or keypad checks), or no one (ACCEPTED).
CREATE OR REPLACE TEMP VIEW attack_outcomes AS
SELECT c.run_id, c.attack, c.reason,
  CASE
    WHEN c.reason = 'ACCEPTED' THEN 'accepted'
    WHEN c.reason IN ('WAN_NOT_DELIVERED', 'WAN_LOST', 'UTRN_NOT_ENTERED') THEN 'undelivered'
    WHEN starts_with(c.reason::VARCHAR, 'DCC_') THEN 'dcc'
    ELSE 'meter'
  END AS stopped_by
FROM commands c
WHERE c.attack <> 'none';
