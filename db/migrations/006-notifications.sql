-- Ombud schema, version 6: e-mail notifications for investigators.
--
-- An investigator may leave an address for notices ("something needs your
-- attention"); the e-mails never carry report content, categories, channel
-- or team names. `encrypt` = 1: the body is an armored OpenPGP message to
-- the investigator's own public key (investigators.public_key).
--
-- last_digest_day  the last day ('YYYY-MM-DD', UTC) the daily deadline digest
--                  was handled for this investigator, so that a restart does
--                  not send it twice.

CREATE TABLE investigator_notifications (
  investigator_id TEXT PRIMARY KEY REFERENCES investigators (id) ON DELETE CASCADE,
  email           TEXT NOT NULL,
  encrypt         INTEGER NOT NULL DEFAULT 0 CHECK (encrypt IN (0, 1)),
  last_digest_day TEXT
);
