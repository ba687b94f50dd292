-- Ombud schema, version 18: a team's name in each worker language.
--
-- team_id    the team named.
-- lang       a worker language (common/limits.ts WORKER_LANGUAGES, checked by
--            the API, not here, so that adding a language needs no migration).
-- name       the name as the administrator typed it.
-- signature  an armored detached OpenPGP signature over the team's id, its
--            recovery fingerprint, the language and the name, by the key of
--            the administrator who saved it (crypto/team-name.ts). The report
--            form shows the name only when it verifies by a key the team's
--            pinned recovery key certified; the server cannot make one.
-- signed_by  the investigator whose key signed it.
-- day        when it was saved.

CREATE TABLE team_names (
  team_id   TEXT NOT NULL REFERENCES teams(id) ON DELETE CASCADE,
  lang      TEXT NOT NULL,
  name      TEXT NOT NULL,
  signature TEXT NOT NULL,
  signed_by TEXT NOT NULL,
  day       TEXT NOT NULL,
  PRIMARY KEY (team_id, lang)
) WITHOUT ROWID;
