/**
 * What one proof of work buys:
 * an upload ticket stages at most LIMITS.uploadsPerTicket files and
 * LIMITS.uploadTicketBytes bytes, counted BEFORE the body is read, so 30
 * simultaneous uploads under one ticket stage no more than that; and a
 * refused upload costs its ticket like a staged one, so one ticket cannot
 * repeat a hostile upload forever.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import request from 'supertest';
import { encryptPayload, MAX_RECIPIENTS, utf8 } from '../../crypto/index.ts';
import { LIMITS } from '../../common/limits.ts';
import { createTestServer, fetchSolvedPow, json, type ReportDraft, type TestServer } from '../testing.ts';

let t: TestServer;
beforeEach(async () => {
  t = await createTestServer();
});
afterEach(() => t.close());

async function getTicket(): Promise<string> {
  const pow = await fetchSolvedPow(t.app);
  return (await request(t.app).post('/api/uploads/ticket').set(json).send({ pow }).expect(200)).body.ticket as string;
}
const upload = (ticket: string, bytes: Uint8Array) =>
  request(t.app).post('/api/uploads').set('Content-Type', 'application/octet-stream').set('X-Ombud-Upload-Ticket', ticket).send(Buffer.from(bytes));

const recipientsOf = (draft: ReportDraft) => [
  ...draft.channel.teams.filter((team) => draft.body.teamIds.includes(team.id)).flatMap((team) => team.recipientKeys),
  draft.reporterKey.publicKey,
];

/** `count` distinct 12-byte v3 key packets and nothing else: within the size limit, never a message. */
function keyPackets(count: number): Uint8Array {
  const bytes = Buffer.alloc(count * 12);
  for (let i = 0; i < count; i += 1) {
    bytes[i * 12] = 0xc1;
    bytes[i * 12 + 1] = 10;
    bytes[i * 12 + 2] = 3;
    bytes.writeUInt32BE(i + 1, i * 12 + 7);
    bytes[i * 12 + 11] = 18;
  }
  return bytes;
}

describe('the quota of one upload ticket', () => {
  it('fits the report form: a report’s files and their retries fit in one ticket', () => {
    expect(LIMITS.uploadsPerTicket).toBeGreaterThanOrEqual(2 * LIMITS.attachmentsPerReport);
    expect(LIMITS.uploadTicketBytes).toBeGreaterThanOrEqual(LIMITS.uploadsTotalCiphertextBytes);
    expect(LIMITS.uploadTicketBytes).toBeLessThanOrEqual(2 * LIMITS.uploadsTotalCiphertextBytes);
  });

  it('stages at most uploadsPerTicket of 30 simultaneous uploads; the rest get 429 upload_budget_exceeded before being read', async () => {
    const draft = await t.draftReport();
    const file = await encryptPayload({ data: utf8('a photo'), recipients: recipientsOf(draft) });
    const ticket = await getTicket();
    const answers = await Promise.all(Array.from({ length: 30 }, () => upload(ticket, file)));
    const created = answers.filter((a) => a.status === 201).length;
    const refused = answers.filter((a) => a.status === 429);
    expect(created).toBe(LIMITS.uploadsPerTicket);
    expect(refused).toHaveLength(30 - LIMITS.uploadsPerTicket);
    for (const answer of refused) expect(answer.body.error).toBe('upload_budget_exceeded');
    expect(t.repos.uploads.stagedCount()).toBe(LIMITS.uploadsPerTicket);
    expect(t.repos.uploads.usage(ticketIdOf(ticket))).toMatchObject({ uploads: LIMITS.uploadsPerTicket });
  });

  it('charges a refused upload to its ticket: a hostile upload cannot be repeated forever under one proof of work', async () => {
    const ticket = await getTicket();
    const answers = [];
    for (let i = 0; i < LIMITS.uploadsPerTicket + 2; i += 1) answers.push((await upload(ticket, utf8('not a message'))).status);
    expect(answers.slice(0, LIMITS.uploadsPerTicket)).toEqual(Array(LIMITS.uploadsPerTicket).fill(400));
    expect(answers.slice(LIMITS.uploadsPerTicket)).toEqual([429, 429]);
    expect(t.repos.uploads.stagedCount()).toBe(0);
    expect(t.repos.uploads.usage(ticketIdOf(ticket))).toEqual({ uploads: LIMITS.uploadsPerTicket, bytes: LIMITS.uploadsPerTicket * 13, spent: false });
  });

  it('refuses ~2.2 million key packets (within the size limit) fast, as not_encrypted, and charges the ticket', async () => {
    const hostile = keyPackets(Math.floor(LIMITS.uploadCiphertextBytes / 12));
    expect(hostile.length).toBeGreaterThan(2_200_000 * 12);
    const ticket = await getTicket();
    const started = performance.now();
    const answer = await upload(ticket, hostile);
    expect(performance.now() - started).toBeLessThan(5_000);
    expect([answer.status, answer.body.error]).toEqual([400, 'not_encrypted']);
    expect(answer.body.message).toContain(`more than ${MAX_RECIPIENTS} recipients`);
    expect(t.repos.uploads.usage(ticketIdOf(ticket))).toEqual({ uploads: 1, bytes: hostile.length, spent: false });
  });

  it('counts the bytes of refused uploads against the ticket’s byte budget too', async () => {
    const hostile = keyPackets(Math.floor(LIMITS.uploadCiphertextBytes / 12));
    const ticket = await getTicket();
    const statuses = [];
    for (let i = 0; i < 6; i += 1) statuses.push((await upload(ticket, hostile)).status);
    // 4 × 26 MiB fit in the ticket's 114 MiB; the 5th is over its bytes (413), then nothing.
    expect(statuses.slice(0, 4)).toEqual([400, 400, 400, 400]);
    expect(statuses[4]).toBe(413);
    expect(statuses[5]).toBe(413);
  });
});

/** The random part of a ticket, as db upload_tickets keys it. */
function ticketIdOf(ticket: string): string {
  return ticket.split('.')[2]!;
}

describe('the inspection bound and the limits', () => {
  it('reads more key packets than any message may legitimately have: teams × recipients + reporter', () => {
    expect(MAX_RECIPIENTS).toBe(LIMITS.teamsPerReport * LIMITS.recipientsPerMessage + 1);
  });
});
