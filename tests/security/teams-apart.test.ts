/**
 * One team cannot reach another's things by id, on any route of the OpenAPI
 * document: an administrator and an investigator of team B (not the team
 * that runs the deployment) ask for team A's case, attachment, invitation and
 * member, and a reporter of team B for team A's attachment. Every answer must
 * be a refusal identical, status and body, to the answer for an id that does
 * not exist; nothing of team A changes, and no list shows A's ids.
 */
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { encryptPayload, utf8 } from '../../crypto/index.ts';
import { randomId } from '../../server/security/secrets.ts';
import {
  createTestServer, encryptMessage, fetchSolvedPow, json, type InvestigatorClient, type TestServer, type TestTeam,
} from '../../server/testing.ts';
import { fill, operations, type OpenAPIV3_1Like, type Operation } from './support/openapi.ts';

let t: TestServer;
let teamB: TestTeam;
let ops: Operation[];
const victim: Record<string, string> = {};
let victimReporterKeys: string[];
let reporterB: { lookupId: string; verifier: string };
let snapshot: () => unknown;

beforeAll(async () => {
  t = await createTestServer();
  teamB = await t.addTeam({ name: 'Supplier committee', channelSlug: 'factory-b', runsDeployment: false });
  const memberA = await t.addInvestigator(t.team);
  const adminA = await t.login(t.team.admin);

  // Team A's case with an attachment, a note and an index entry; an open invitation of team A.
  const draft = await t.draftReport();
  const recipients = [...draft.channel.teams[0]!.recipientKeys, draft.reporterKey.publicKey];
  const { ticket } = (await request(t.app).post('/api/uploads/ticket').set(json).send({ pow: await fetchSolvedPow(t.app) }).expect(200)).body;
  const file = await encryptPayload({ data: utf8('photo'), recipients });
  const attachmentId = (await request(t.app).post('/api/uploads').set('Content-Type', 'application/octet-stream')
    .set('X-Ombud-Upload-Ticket', ticket).send(Buffer.from(file)).expect(201)).body.uploadId as string;
  await request(t.app).post('/api/intake').set(json).send({ ...draft.body, attachments: [attachmentId], uploadTicket: ticket }).expect(201);
  const caseId = (await adminA.get('/api/cases').expect(200)).body.cases[0].id as string;
  const detail = (await adminA.get(`/api/cases/${caseId}`).expect(200)).body;
  victimReporterKeys = detail.teamKeys;
  await adminA.post(`/api/cases/${caseId}/notes`, { body: await encryptMessage('note', detail.noteKeys) }).expect(201);
  const invite = (await adminA.post('/api/team/invites', { displayName: 'Newcomer', role: 'investigator' }).expect(201)).body;
  Object.assign(victim, {
    id: caseId, attachmentId, inviteId: invite.id as string, memberId: memberA.id, investigatorId: memberA.id,
    slug: t.team.channelSlug,
  });
  reporterB = (await t.submitReport({ channel: teamB.channelSlug })).credentials;
  ops = operations((await request(t.app).get('/api/openapi.json').expect(200)).body as OpenAPIV3_1Like);
  snapshot = () => ({
    case: t.repos.cases.find(caseId),
    audit: t.repos.audit.list().filter((e) => e.caseId === caseId).length,
    invites: t.repos.invites.pendingOfTeam(t.team.id, t.clock.now()),
    notes: t.repos.notes.listForCase(caseId),
  });
});
afterAll(() => t.close());

/** A body each route accepts, so that the id check, not the schema, decides the answer. */
async function bodyFor(op: Operation, values: Record<string, string>): Promise<unknown> {
  const last = op.path.split('/').at(-1);
  const cipher = () => encryptMessage('x', victimReporterKeys);
  switch (last) {
    case 'stage': return { stage: 'acknowledged' };
    case 'messages': case 'notes': return { body: await cipher() };
    case 'assign': return { investigatorId: null, version: 1 };
    case 'labels': return { labels: ['x'], version: 1 };
    case 'risk': return { level: 'high', rationale: await cipher(), version: 1 };
    case 'exclusions': return { investigatorId: values.memberId };
    case 'index-entry': return { version: 1, entry: 'AAAA' };
    default: return {};
  }
}

const missing = (): Record<string, string> => ({
  id: randomId(), attachmentId: randomId(), inviteId: randomId(), memberId: randomId(), investigatorId: randomId(),
  foundingId: randomId(), slug: 'no-such-channel',
});

async function ask(client: InvestigatorClient | null, op: Operation, values: Record<string, string>) {
  const path = fill(op.path, { foundingId: randomId(), ...values });
  if (!client) return request(t.app).post(path).set(json).send(reporterB); // the only public routes with ids are reporter POSTs
  const body = await bodyFor(op, values);
  switch (op.method) {
    case 'GET': return client.get(path);
    case 'PUT': return client.agent.put(path).set(json).set('X-Ombud-CSRF', client.session.csrfToken).send(body as object);
    default: return client.post(path, body);
  }
}

describe('another team’s ids', () => {
  it('are answered on every route with ids exactly like ids that do not exist', async () => {
    const before = snapshot();
    const attackers: [string, InvestigatorClient | null][] = [
      ['team B administrator', await t.login(teamB.admin)],
      ['team B investigator', await t.login(await t.addInvestigator(teamB))],
      ['team B reporter', null],
    ];
    const withIds = ops.filter((op) => op.params.length > 0 && !(op.method === 'GET' && op.path === '/api/channels/{slug}'));
    expect(withIds.length).toBeGreaterThan(10);
    let compared = 0;
    for (const [who, client] of attackers) {
      for (const op of withIds) {
        if ((client === null) === op.investigator) continue;
        const theirs = await ask(client, op, victim);
        const none = await ask(client, op, missing());
        const what = `${who}: ${op.method} ${op.path}`;
        expect(theirs.status, `${what} → ${JSON.stringify(theirs.body)}`).toBeGreaterThanOrEqual(400);
        expect(theirs.status, what).toBeLessThan(500);
        expect({ status: theirs.status, body: theirs.body }, what).toEqual({ status: none.status, body: none.body });
        compared += 1;
      }
    }
    expect(compared).toBeGreaterThan(20);
    expect(snapshot()).toEqual(before);
  });

  it('cannot be used as a member of one’s own case (assignment, exclusion)', async () => {
    const b = await t.login(teamB.admin);
    const caseB = (await b.get('/api/cases').expect(200)).body.cases[0];
    for (const action of ['assign', 'exclusions'] as const) {
      const payload = (investigatorId: string) => (action === 'assign' ? { investigatorId, version: caseB.version } : { investigatorId });
      const theirs = await b.post(`/api/cases/${caseB.id}/${action}`, payload(victim.memberId!));
      const none = await b.post(`/api/cases/${caseB.id}/${action}`, payload(randomId()));
      expect(theirs.status, action).toBeGreaterThanOrEqual(400);
      expect({ status: theirs.status, body: theirs.body }, action).toEqual({ status: none.status, body: none.body });
    }
  });

  it('appear in no list or page that team B can read', async () => {
    const b = await t.login(teamB.admin);
    const needles = [victim.id!, victim.attachmentId!, victim.inviteId!, victim.memberId!, t.team.admin.username, t.team.admin.id];
    for (const op of ops.filter((o) => o.method === 'GET' && o.params.length === 0 && o.investigator)) {
      const res = await b.get(op.path);
      for (const needle of needles) expect(res.text, `${op.path} shows ${needle}`).not.toContain(needle);
    }
  });
});
