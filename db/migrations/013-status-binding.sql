-- Ombud schema, version 13: the status binding (protocol v2).
--
-- cases.status_binding  what the report form checked and the worker chose
--                  (the teams' recovery fingerprints and names, the reporter
--                  key's fingerprint), authenticated under a key derived from
--                  the case token (docs/protocol.md, "v2: status page
--                  trust"). Opaque to the server: stored and given back to
--                  the status page, never read. NULL for cases made before
--                  version 13; the status page binds such a case on its first
--                  visit (trust on first use) and the server then refuses to
--                  replace it.

ALTER TABLE cases ADD COLUMN status_binding TEXT;
