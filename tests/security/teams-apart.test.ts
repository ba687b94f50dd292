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

/** Path parameters that name the deployment's things, not a team's (server/prompts/routes.ts). */
const DEPLOYMENT_PARAMS = new Set(['lang', 'clip', 'sha256']);

let t: TestServer;
let teamB: TestTeam;
let ops: Operation[];

/** What one team owns, planted through the API as its people would. */
interface Planted {
  ids: Record<string, string>;
  /** Keys a message on its case must be encrypted to. */
  keys: string[];
  reporter: { lookupId: string; verifier: string };
  snapshot(): unknown;
}
const planted: Record<'A' | 'B', Planted> = {} as Record<'A' | 'B', Planted>;

async function plant(team: TestTeam): Promise<Planted> {
  const member = await t.addInvestigator(team);
  const admin = await t.login(team.admin);
  // A case with an attachment and a note; an open invitation.
  const draft = await t.draftReport({ channel: team.channelSlug });
  const recipients = [...draft.channel.teams[0]!.recipientKeys, draft.reporterKey.publicKey];
  const { ticket } = (await request(t.app).post('/api/uploads/ticket').set(json).send({ pow: await fetchSolvedPow(t.app) }).expect(200)).body;
  const file = await encryptPayload({ data: utf8('photo'), recipients });
  const attachmentId = (await request(t.app).post('/api/uploads').set('Content-Type', 'application/octet-stream')
    .set('X-Ombud-Upload-Ticket', ticket).send(Buffer.from(file)).expect(201)).body.uploadId as string;
  await request(t.app).post('/api/intake').set(json).send({ ...draft.body, attachments: [attachmentId], uploadTicket: ticket }).expect(201);
  const caseId = (await admin.get('/api/cases').expect(200)).body.cases[0].id as string;
  const detail = (await admin.get(`/api/cases/${caseId}`).expect(200)).body;
  await admin.post(`/api/cases/${caseId}/notes`, { body: await encryptMessage('note', detail.noteKeys) }).expect(201);
  const invite = (await admin.post('/api/team/invites', { displayName: 'Newcomer', role: 'investigator' }).expect(201)).body;
  return {
    ids: { id: caseId, attachmentId, uploadId: attachmentId, inviteId: invite.id as string, memberId: member.id, investigatorId: member.id, slug: team.channelSlug },
    keys: detail.teamKeys,
    reporter: draft.credentials,
    snapshot: () => ({
      case: t.repos.cases.find(caseId),
      audit: t.repos.audit.list().filter((e) => e.caseId === caseId).length,
      invites: t.repos.invites.pendingOfTeam(team.id, t.clock.now()),
      notes: t.repos.notes.listForCase(caseId),
    }),
  };
}

beforeAll(async () => {
  t = await createTestServer(); // its first team (A) runs the deployment
  teamB = await t.addTeam({ name: 'Supplier committee', channelSlug: 'factory-b', runsDeployment: false });
  planted.A = await plant(t.team);
  planted.B = await plant(teamB);
  ops = operations((await request(t.app).get('/api/openapi.json').expect(200)).body as OpenAPIV3_1Like);
});
afterAll(() => t.close());

/** A body each route accepts, so that the id check, not the schema, decides the answer. */
async function bodyFor(op: Operation, values: Record<string, string>, keys: string[]): Promise<unknown> {
  const last = op.path.split('/').at(-1);
  const cipher = () => encryptMessage('x', keys);
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
  id: randomId(), attachmentId: randomId(), uploadId: randomId(), inviteId: randomId(), memberId: randomId(), investigatorId: randomId(),
  foundingId: randomId(), slug: 'no-such-channel',
});

async function ask(client: InvestigatorClient | Planted['reporter'], op: Operation, values: Record<string, string>, keys: string[]) {
  const path = fill(op.path, { foundingId: randomId(), ...values });
  if (!('agent' in client)) return request(t.app).post(path).set(json).send(client); // the only public routes with ids are reporter POSTs
  const body = await bodyFor(op, values, keys);
  switch (op.method) {
    case 'GET': return client.get(path);
    case 'PUT': return client.agent.put(path).set(json).set('X-Ombud-CSRF', client.session.csrfToken).send(body as object);
    default: return client.post(path, body);
  }
}

describe('another team’s ids', () => {
  /**
   * Both ways: team B (an ordinary team) asks for team A's things, and team A — whose administrators run the
   * deployment — asks for team B's. Running the deployment gives no access to another team's cases or members;
   * only channel administration (`{slug}`) is the deployment's, so it is left out of that direction.
   */
  for (const [victim, attackerTeam] of [['A', 'B'], ['B', 'A']] as const) {
    it(`are answered on every route with ids exactly like ids that do not exist (team ${attackerTeam} asking for team ${victim}'s)`, async () => {
      const target = planted[victim];
      const team = attackerTeam === 'A' ? t.team : teamB;
      const before = target.snapshot();
      const attackers: [string, InvestigatorClient | Planted['reporter']][] = [
        [`team ${attackerTeam} administrator`, await t.login(team.admin)],
        [`team ${attackerTeam} investigator`, await t.login(await t.addInvestigator(team))],
        [`team ${attackerTeam} reporter`, planted[attackerTeam].reporter],
      ];
      const withIds = ops.filter((op) => op.params.length > 0 && !(op.method === 'GET' && op.path === '/api/channels/{slug}'))
        .filter((op) => victim === 'A' || !op.params.includes('slug'))
        // A recorded listen prompt is the deployment's, named by language, clip and hash: no team owns one.
        .filter((op) => !op.params.every((param) => DEPLOYMENT_PARAMS.has(param)));
      expect(withIds.length).toBeGreaterThan(10);
      let compared = 0;
      for (const [who, client] of attackers) {
        for (const op of withIds) {
          if (!('agent' in client) === op.investigator) continue;
          const theirs = await ask(client, op, target.ids, target.keys);
          const none = await ask(client, op, missing(), target.keys);
          const what = `${who}: ${op.method} ${op.path}`;
          expect(theirs.status, `${what} → ${JSON.stringify(theirs.body)}`).toBeGreaterThanOrEqual(400);
          expect(theirs.status, what).toBeLessThan(500);
          expect({ status: theirs.status, body: theirs.body }, what).toEqual({ status: none.status, body: none.body });
          compared += 1;
        }
      }
      expect(compared).toBeGreaterThan(20);
      expect(target.snapshot()).toEqual(before);
    });
  }

  it('cannot be used as a member of one’s own case (assignment, exclusion)', async () => {
    const b = await t.login(teamB.admin);
    const caseB = (await b.get('/api/cases').expect(200)).body.cases[0];
    for (const action of ['assign', 'exclusions'] as const) {
      const payload = (investigatorId: string) => (action === 'assign' ? { investigatorId, version: caseB.version } : { investigatorId });
      const theirs = await b.post(`/api/cases/${caseB.id}/${action}`, payload(planted.A.ids.memberId!));
      const none = await b.post(`/api/cases/${caseB.id}/${action}`, payload(randomId()));
      expect(theirs.status, action).toBeGreaterThanOrEqual(400);
      expect({ status: theirs.status, body: theirs.body }, action).toEqual({ status: none.status, body: none.body });
    }
  });

  it('appear in no list or page that the other team can read', async () => {
    for (const [reader, owner, ownerTeam] of [[teamB, 'A', t.team], [t.team, 'B', teamB]] as const) {
      const client = await t.login(reader.admin);
      const { ids } = planted[owner];
      // The deployment's administrators see every team's members on the teams page by count, never by id.
      const needles = [ids.id!, ids.attachmentId!, ids.inviteId!, ids.memberId!];
      if (owner === 'A') needles.push(ownerTeam.admin.username, ownerTeam.admin.id);
      for (const op of ops.filter((o) => o.method === 'GET' && o.params.length === 0 && o.investigator)) {
        const res = await client.get(op.path);
        for (const needle of needles) expect(res.text, `${reader.name} reads ${needle} of team ${owner} in ${op.path}`).not.toContain(needle);
      }
    }
  });
});
