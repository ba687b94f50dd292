/**
 * Giving an admitted member access to the team's earlier ciphertexts
 * (docs/protocol.md, "Re-wrapping, removal and recovery"). The server never
 * decrypts: it lists the key packets (PKESK) of every ciphertext the member
 * is not a recipient of yet, and splices in the one key packet per
 * ciphertext that an administrator's browser made for the member. The
 * encrypted data (SEIPD) is never sent and never changes.
 */
import { LIMITS } from '../../common/limits.ts';
import type { SharePage, ShareRequest, ShareResult } from '../../common/api.ts';
import { addRecipient, CryptoInputError, splitHeader, type MessageHeader } from '../../crypto/index.ts';
import { SHARE_KINDS, type ShareHead, type ShareScope } from '../../db/index.ts';
import type { ActiveSession } from '../auth/session-gate.ts';
import type { AppContext } from '../context.ts';
import { decodeField, toBase64Url } from '../encoding.ts';
import { HttpError } from '../errors.ts';
import { recipientMember } from '../auth/policy.ts';

/** Rows looked at per request at most, readable or not, so one request stays short. */
const SCAN_PER_PAGE = 2_000;
const FETCH = 200;

/** `kindIndex.scanned.lastId`: where the previous page stopped. */
const CURSOR = /^([0-5])\.(\d{1,9})\.([A-Za-z0-9_-]{0,32})$/;

function readCursor(after: unknown): { kind: number; scanned: number; afterId: string } {
  if (after === undefined || after === '') return { kind: 0, scanned: 0, afterId: '' };
  const match = typeof after === 'string' ? CURSOR.exec(after) : null;
  if (!match) throw new HttpError(400, 'invalid_request', 'after: pass the `next` value of the previous page, or nothing');
  return { kind: Number(match[1]), scanned: Number(match[2]), afterId: match[3]! };
}

function headerOf(ctx: Pick<AppContext, 'repos'>, scope: ShareScope, row: ShareHead): MessageHeader | undefined {
  try {
    return splitHeader(row.head) ?? splitHeader(ctx.repos.share.body(row.kind, scope, row.id) ?? new Uint8Array());
  } catch (error) {
    if (error instanceof CryptoInputError) return undefined; // not a message (cannot be stored, but never trust old rows)
    throw error;
  }
}

export function sharePage(ctx: AppContext, session: ActiveSession, memberId: string, after: unknown): SharePage {
  const member = recipientMember(ctx, session, memberId);
  const scope = { teamId: session.team.id, memberId: member.id, actorId: session.investigator.id };
  const mine = new Set(member.encryptionKeyIds);
  let { kind, scanned, afterId } = readCursor(after);
  const items: SharePage['items'] = [];
  let looked = 0;
  let done = false;
  while (items.length < LIMITS.sharePage && looked < SCAN_PER_PAGE) {
    const rows = ctx.repos.share.page(SHARE_KINDS[kind]!, scope, afterId, FETCH);
    if (rows.length === 0) {
      if (kind === SHARE_KINDS.length - 1) { done = true; break; }
      kind += 1;
      afterId = '';
      continue;
    }
    for (const row of rows) {
      if (items.length >= LIMITS.sharePage) break;
      looked += 1;
      afterId = row.id;
      const header = headerOf(ctx, scope, row);
      if (header && !header.keyIds.some((id) => mine.has(id))) {
        items.push({ kind: row.kind, id: row.id, header: toBase64Url(header.header) });
      }
    }
  }
  scanned += looked;
  return {
    recipientPublicKey: member.publicKey,
    items,
    next: done ? null : `${kind}.${scanned}.${afterId}`,
    scanned,
    total: ctx.repos.share.count(scope),
  };
}

/**
 * Splices each key packet in, all in one transaction: any item that is not
 * one of the team's (404 `item_not_found`) or a packet that is not exactly
 * one v3 PKESK to the member's key (400 `invalid_key_packet`) refuses the
 * whole request. An item the member already reads is skipped.
 */
export function shareItems(ctx: AppContext, session: ActiveSession, memberId: string, body: ShareRequest): ShareResult {
  const member = recipientMember(ctx, session, memberId);
  const scope = { teamId: session.team.id, memberId: member.id, actorId: session.investigator.id };
  const keyId = member.encryptionKeyIds[0]!;
  const packets = body.items.map((item, i) => decodeField(`items.${i}.pkesk`, item.pkesk));
  return ctx.repos.transaction(() => {
    let shared = 0;
    body.items.forEach((item, i) => {
      const message = ctx.repos.share.body(item.kind, scope, item.id);
      if (!message) throw new HttpError(404, 'item_not_found', `items.${i}: no ${item.kind} ${item.id} among your team's cases; load the list again`);
      let spliced: ReturnType<typeof addRecipient>;
      try {
        spliced = addRecipient({ message, pkesk: packets[i]!, keyId });
      } catch (error) {
        if (!(error instanceof CryptoInputError)) throw error;
        throw new HttpError(400, 'invalid_key_packet', `items.${i}: ${error.message}; it must be one key packet (PKESK v3) to the member's key ${keyId}`);
      }
      if (spliced.added) {
        ctx.repos.share.replace(item.kind, item.id, spliced.message);
        shared += 1;
      }
    });
    const result = { shared, skipped: body.items.length - shared };
    ctx.audit.investigator('team.cases_shared', session.investigator.id, null, { member: member.id, ...result });
    return result;
  });
}
