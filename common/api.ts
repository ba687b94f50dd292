/**
 * The HTTP contract between the browser and the server: one zod schema per
 * request and answer body, kept beside its domain in common/api/. The server
 * validates with them and builds its OpenAPI document from them; the client
 * imports only their types (`import type`), so zod never ships to a worker's
 * phone.
 *
 * Binary values travel as unpadded base64url strings.
 *
 * This index re-exports every domain so that `common/api.ts` stays the one
 * import path; a new schema goes into its domain's file, not here.
 */
export * from './api/fields.ts';
export * from './api/channels.ts';
export * from './api/intake.ts';
export * from './api/uploads.ts';
export * from './api/prompts.ts';
export * from './api/status.ts';
export * from './api/accounts.ts';
export * from './api/setup.ts';
export * from './api/cases.ts';
export * from './api/inbox-index.ts';
export * from './api/audit.ts';
export * from './api/people.ts';
