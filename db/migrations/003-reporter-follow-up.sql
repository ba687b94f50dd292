-- Ombud schema, version 3: what the reporter's follow-up tells the team in
-- the clear (workflow metadata, docs/threat-model.md). The content of a
-- retaliation report or a satisfaction answer stays encrypted in `messages`;
-- the server only learns THAT one was sent, because it must act on it.
--
-- urgent_day          the day the reporter first reported retaliation on this
--                     case (NULL: never); the team's inbox marks it URGENT.
-- satisfaction_given  1 once the reporter answered the question asked after
--                     closure, so that it is asked (and accepted) only once.

ALTER TABLE cases ADD COLUMN urgent_day TEXT;
ALTER TABLE cases ADD COLUMN satisfaction_given INTEGER NOT NULL DEFAULT 0 CHECK (satisfaction_given IN (0, 1));
