-- Ombud schema, version 25: intake reads a channel's teams in the form's
-- order without sorting them (docs/performance.md, sixteenth run).
--
-- channel_teams_in_order  a channel's teams by their place on the form, then
--                         id: the order in which channels.intakeTeams (and
--                         the channel page) list them. Every report read that
--                         list through a temporary sorter, ≈ 4 µs of its
--                         server time; the index hands it over in order. A
--                         report writes nothing here; an administrator who
--                         changes a channel writes a few entries.

CREATE INDEX channel_teams_in_order ON channel_teams (channel_slug, position, team_id);
