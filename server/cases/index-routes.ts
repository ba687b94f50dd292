/**
 * The inbox index (docs/protocol.md, "Inbox index"): the team index key,
 * sealed in a browser to the team's investigators and recovery key, and one
 * fixed-size AES-GCM entry per case. The server stores and hands out
 * ciphertext only; it checks that the key is sealed to exactly the team's
 * keys (from the OpenPGP headers) and that every entry has the one size.
 * Entries follow the case policy: another team's case or an excluded
 * investigator gets 404, and the list leaves out what one may not see.
 */
import { z } from 'zod';
import { IndexEntries, IndexEntryRequest, IndexKeyRequest, IndexKeyState, INDEX_ENTRY_SIZE, id } from '../../common/api.ts';
import type { AppContext } from '../context.ts';
import { decodeField, toBase64Url } from '../encoding.ts';
import { HttpError } from '../errors.ts';
import { assertEncryptedTo, teamRecipients } from '../recipients/recipients.ts';
import { defineRoute, type Route } from '../routing/route.ts';
import { assertAdmitted } from '../auth/policy.ts';
import { caseForSession } from './policy.ts';

const CaseParams = z.object({ id });
const Stored = z.object({ ok: z.literal(true) });

export function caseIndexRoutes(ctx: AppContext): Route[] {
  const { repos } = ctx;
  const sealedToTeam = (sealed: Uint8Array, teamId: string) => {
    try {
      assertEncryptedTo(sealed, teamRecipients(repos, [teamId]));
      return true;
    } catch (error) {
      if (error instanceof HttpError) return false;
      throw error;
    }
  };

  return [
    defineRoute({
      method: 'get', path: '/api/team/index-key', summary: "My team's inbox index key (sealed to the team's keys)", tag: 'cases',
      auth: 'investigator', response: IndexKeyState, status: 200,
      handler: ({ session }) => {
        const key = repos.caseIndex.keyOf(session.team.id);
        return {
          key: key ? { version: key.keyVersion, sealed: toBase64Url(key.sealed) } : null,
          recipientKeys: teamRecipients(repos, [session.team.id]).map((k) => k.armored),
          current: key ? sealedToTeam(key.sealed, session.team.id) : false,
        };
      },
    }),
    defineRoute({
      method: 'put', path: '/api/team/index-key', summary: "Store my team's inbox index key, or seal it again to the team's current keys", tag: 'cases',
      auth: 'investigator', request: IndexKeyRequest, response: Stored, status: 200,
      errorCodes: ['not_encrypted', 'wrong_recipients'], // assertEncryptedTo: the ciphertext must be encrypted to exactly the team's recipients
      handler: ({ session, body }) => {
        assertAdmitted(session);
        const sealed = decodeField('sealed', body.sealed);
        assertEncryptedTo(sealed, teamRecipients(repos, [session.team.id]));
        const stored = body.version === 0
          ? repos.caseIndex.createKey(session.team.id, sealed)
          : repos.caseIndex.resealKey(session.team.id, body.version, sealed);
        if (!stored) throw new HttpError(409, 'conflict', 'the team index key changed; load it again');
        return { ok: true as const };
      },
    }),
    defineRoute({
      method: 'get', path: '/api/cases/index', summary: 'Inbox index entries of the cases I may see (ciphertext)', tag: 'cases',
      auth: 'investigator', response: IndexEntries, status: 200,
      handler: ({ session }) => {
        assertAdmitted(session); // the case ids of the team's inbox are case data too
        const key = repos.caseIndex.keyOf(session.team.id);
        if (!key) return { version: null, caseIds: [], entries: '' };
        const current = repos.caseIndex.entriesFor(session.team.id, session.investigator.id).filter((e) => e.keyVersion === key.keyVersion);
        // Node's own base64url: crypto's portable encoder is too slow for megabytes.
        const entries = Buffer.concat(current.map((e) => e.entry)).toString('base64url');
        return { version: key.keyVersion, caseIds: current.map((e) => e.caseId), entries };
      },
    }),
    defineRoute({
      method: 'put', path: '/api/cases/:id/index-entry', summary: 'Store the inbox index entry of a case (AES-GCM ciphertext, fixed size)', tag: 'cases',
      auth: 'investigator', params: CaseParams, request: IndexEntryRequest, response: Stored, status: 200,
      handler: ({ session, params, body }) => {
        const { record } = caseForSession(ctx, session, params.id);
        const entry = decodeField('entry', body.entry);
        if (entry.length !== INDEX_ENTRY_SIZE) throw new HttpError(400, 'invalid_request', `an index entry is exactly ${INDEX_ENTRY_SIZE} bytes`);
        const key = repos.caseIndex.keyOf(session.team.id);
        if (!key || key.keyVersion !== body.version) throw new HttpError(409, 'conflict', 'the team index key changed; load it again');
        repos.caseIndex.putEntry(record.id, session.team.id, key.keyVersion, entry);
        return { ok: true as const };
      },
    }),
  ];
}
