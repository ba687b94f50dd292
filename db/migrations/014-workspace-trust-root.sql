-- Protocol v2, workspace trust root (docs/protocol.md "v2: workspace trust root").
-- No schema change: the key envelope (version 2, with the trust root sealed
-- inside) is stored opaque in the existing investigators.wrapped_private_key
-- column, and envelopes made before v2 are migrated in the browser (the
-- investigator confirms the recovery fingerprint at their next sign-in).
-- This number was reserved for the workspace; it stays so that the
-- migrations remain contiguous.
SELECT 1;
