-- Ombud schema, version 9: several teams on one deployment.
--
-- runs_deployment  1 for the team created at first setup (the brand's CSR
--                  team): its administrators are the deployment's
--                  administrators — they found other teams (a supplier's
--                  grievance committee), create and edit intake channels and
--                  print posters. Administrators of any other team manage only
--                  their own team.

ALTER TABLE teams ADD COLUMN runs_deployment INTEGER NOT NULL DEFAULT 0 CHECK (runs_deployment IN (0, 1));
-- A database set up before version 9 has exactly one team: it ran the deployment.
UPDATE teams SET runs_deployment = 1 WHERE id = (SELECT id FROM teams ORDER BY created_day, id LIMIT 1);
