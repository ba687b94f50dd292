-- Ombud schema, version 15: the language each investigator works in.
--
-- language  the workspace language the investigator chose ('en', 'zh-CN',
--           'vi', … — the list is common/api/accounts.ts WORKSPACE_LANGUAGES,
--           checked by the API, not here, so that adding a language needs no
--           migration). NULL: never chosen; their browser's language is used
--           on the page and English in e-mail notices. It is kept with the
--           account, not in the browser, because the server writes the
--           notices and the digest in it.

ALTER TABLE investigators ADD COLUMN language TEXT;
