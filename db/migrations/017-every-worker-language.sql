-- Ten more worker languages (bn, km, my, ne, ur, ta, te, tl, pt-BR, tr). A
-- channel that offered every worker language (migration 010's default, the
-- eight there were) keeps offering every one; a channel whose administrator
-- chose some languages keeps exactly those. New channels made without a list
-- get every language from the repository (db/channels.repo.ts
-- EVERY_WORKER_LANGUAGE, checked against common/limits.ts by a test), not
-- from the column's old default.
UPDATE channels
   SET languages = '["en","zh-CN","vi","id","hi","es","th","ms","bn","km","my","ne","ur","ta","te","tl","pt-BR","tr"]'
 WHERE languages = '["en","zh-CN","vi","id","hi","es","th","ms"]';
