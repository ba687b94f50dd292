-- Ombud schema, version 12: pinned keys and membership.
--
-- investigators.admitted_day  the day an administrator admitted the
--                   investigator: their browser loaded the team's offline
--                   recovery key and certified the newcomer's key with it
--                   (docs/protocol.md, "Pinned keys"). NULL = pending: an
--                   invitee who accepted but was not admitted yet receives no
--                   reports and opens no case. Investigators from before
--                   version 12 were full members: they keep that (their keys
--                   are not certified yet; an administrator certifies them
--                   from the members list, or report forms refuse them).
--
-- team_foundings   single-use links with which a deployment administrator
--                  lets the first administrator of a new team (a supplier's
--                  grievance committee) create it: the founder's browser
--                  makes the team's recovery key and their own key,
--                  certified by it. Only the sha256 of the token is stored;
--                  team_id is set when the link is used.

ALTER TABLE investigators ADD COLUMN admitted_day TEXT;
UPDATE investigators SET admitted_day = created_day;

CREATE TABLE team_foundings (
  token_hash   TEXT PRIMARY KEY,                   -- hex sha256 of the token
  id           TEXT NOT NULL UNIQUE,               -- opaque id to list/revoke with
  team_name    TEXT NOT NULL,
  founder_name TEXT NOT NULL,                      -- display name of the first administrator
  created_by   TEXT NOT NULL REFERENCES investigators (id),
  created_at   INTEGER NOT NULL,
  expires_at   INTEGER NOT NULL,
  used_at      INTEGER,
  revoked_at   INTEGER,
  team_id      TEXT REFERENCES teams (id)          -- the team founded with it
);
