-- Ombud schema, version 10: intake channels as data.
--
-- A deployment administrator sets up each channel (a factory, a site): the
-- languages its workers read, the teams it offers and which of them the form
-- ticks for the worker, and the local information on its information page.
-- All of it is public (the report form and the information page show it), so
-- it is stored in the clear.
--
-- channels.languages    JSON array of worker language codes, the default
--                       first (common/limits.ts WORKER_LANGUAGES). Channels
--                       made before version 10 offered every language.
-- channels.run_by       who runs this channel, free text
-- channels.local_notes  any other local information, free text
-- channels.changed_day  the day an administrator last changed it
-- channel_teams.preselected  the form ticks this team for the worker; a
--                       channel made before version 10 sent every report to
--                       all of its teams, so each is preselected
-- channel_teams.role    what the team is to this channel's workers
--                       (common/limits.ts CHANNEL_TEAM_ROLES), or NULL
-- channel_teams.note    a short note beside the team on the form
-- channel_contacts      other places to report (the labour inspectorate, an
--                       NGO hotline), in the order shown

ALTER TABLE channels ADD COLUMN languages TEXT NOT NULL DEFAULT '["en","zh-CN","vi","id","hi","es","th","ms"]';
ALTER TABLE channels ADD COLUMN run_by TEXT NOT NULL DEFAULT '';
ALTER TABLE channels ADD COLUMN local_notes TEXT NOT NULL DEFAULT '';
ALTER TABLE channels ADD COLUMN changed_day TEXT;

ALTER TABLE channel_teams ADD COLUMN preselected INTEGER NOT NULL DEFAULT 1 CHECK (preselected IN (0, 1));
ALTER TABLE channel_teams ADD COLUMN role TEXT CHECK (role IS NULL OR role IN ('workplace', 'brand', 'independent'));
ALTER TABLE channel_teams ADD COLUMN note TEXT NOT NULL DEFAULT '';

CREATE TABLE channel_contacts (
  channel_slug TEXT NOT NULL REFERENCES channels (slug) ON DELETE CASCADE,
  position     INTEGER NOT NULL,
  name         TEXT NOT NULL,
  reach        TEXT NOT NULL,                        -- a phone number, an address, a web address
  note         TEXT NOT NULL DEFAULT '',
  PRIMARY KEY (channel_slug, position)
);
