-- Ombud schema, version 28: what intake checks a report against, read again
-- only when it changed (docs/performance.md, "Twenty-seventh run").
--
-- Every report reads its channel, the channel's teams and their
-- investigators' encryption key ids (db/channels.repo.ts intakeTeams): one
-- query over four tables, about 20 µs of a report's CPU, for rows that an
-- administrator changes a few times a year. The repository now keeps its
-- answer per channel with the generation it was read at, and reads it again
-- when the generation is another.
--
-- intake_generation  one row, one number, set to a new random number by the
--                    triggers below on every insert, update and delete in
--                    the four tables, whichever connection or process makes
--                    it. Random, not counted up: a change rolled back and
--                    another one committed after it can never give the
--                    number back that an answer read inside the rolled-back
--                    transaction was kept under. The repository reads it in
--                    the transaction that stores the report, so what it
--                    checks is what that transaction sees. It holds no time
--                    and no count of anything.

CREATE TABLE intake_generation (
  id INTEGER PRIMARY KEY CHECK (id = 1),
  n  INTEGER NOT NULL
);
INSERT INTO intake_generation (id, n) VALUES (1, 0);

CREATE TRIGGER intake_generation_channels_insert AFTER INSERT ON channels BEGIN UPDATE intake_generation SET n = random(); END;
CREATE TRIGGER intake_generation_channels_update AFTER UPDATE ON channels BEGIN UPDATE intake_generation SET n = random(); END;
CREATE TRIGGER intake_generation_channels_delete AFTER DELETE ON channels BEGIN UPDATE intake_generation SET n = random(); END;
CREATE TRIGGER intake_generation_channel_teams_insert AFTER INSERT ON channel_teams BEGIN UPDATE intake_generation SET n = random(); END;
CREATE TRIGGER intake_generation_channel_teams_update AFTER UPDATE ON channel_teams BEGIN UPDATE intake_generation SET n = random(); END;
CREATE TRIGGER intake_generation_channel_teams_delete AFTER DELETE ON channel_teams BEGIN UPDATE intake_generation SET n = random(); END;
CREATE TRIGGER intake_generation_teams_insert AFTER INSERT ON teams BEGIN UPDATE intake_generation SET n = random(); END;
CREATE TRIGGER intake_generation_teams_update AFTER UPDATE ON teams BEGIN UPDATE intake_generation SET n = random(); END;
CREATE TRIGGER intake_generation_teams_delete AFTER DELETE ON teams BEGIN UPDATE intake_generation SET n = random(); END;
CREATE TRIGGER intake_generation_investigators_insert AFTER INSERT ON investigators BEGIN UPDATE intake_generation SET n = random(); END;
CREATE TRIGGER intake_generation_investigators_update AFTER UPDATE ON investigators BEGIN UPDATE intake_generation SET n = random(); END;
CREATE TRIGGER intake_generation_investigators_delete AFTER DELETE ON investigators BEGIN UPDATE intake_generation SET n = random(); END;
