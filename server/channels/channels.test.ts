import request from 'supertest';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { AdminChannel, ChannelCreateRequest, ChannelInfo } from '../../common/api.ts';
import { CHANNEL_LIMITS } from '../../common/limits.ts';
import { CSRF_HEADER } from '../auth/session-gate.ts';
import { createTestServer, json, type InvestigatorClient, type TestServer, type TestTeam } from '../testing.ts';

let t: TestServer;
let brand: TestTeam;
let committee: TestTeam;
let admin: InvestigatorClient;

beforeEach(async () => {
  t = await createTestServer({ team: { name: 'Brand CSR', channelSlug: 'brand-hq' } });
  brand = t.team;
  committee = await t.addTeam({ name: 'Plant 3 committee', channelSlug: 'plant-3-old', runsDeployment: false });
  admin = await t.login(brand.admin);
});
afterEach(() => t.close());

const put = (client: InvestigatorClient, path: string, body: unknown) =>
  client.agent.put(path).set(json).set(CSRF_HEADER, client.session.csrfToken).send(body as object);

function plant3(overrides: Partial<ChannelCreateRequest> = {}): ChannelCreateRequest {
  return {
    slug: 'plant-3',
    name: 'Shenzhen plant 3',
    languages: ['zh-CN', 'vi', 'en'],
    teams: [
      { teamId: committee.id, role: 'workplace', note: '厂内申诉委员会' },
      { teamId: brand.id, role: 'brand', note: '' },
    ],
    preselected: [brand.id],
    runBy: 'The brand CSR team, with the plant 3 grievance committee',
    contacts: [{ name: 'Labour inspectorate Bao’an', reach: '+86 755 12345', note: 'Mon–Fri' }],
    notes: 'Posters hang by the canteen.',
    ...overrides,
  };
}

async function refusal(body: unknown, status = 400): Promise<string> {
  const res = await admin.post('/api/admin/channels', body).expect(status);
  expect(res.body.message).toMatch(/\w{3,}/);
  return res.body.error as string;
}

describe('creating a channel', () => {
  it('stores languages, teams, the worker’s default choice and local information, and serves them to the form', async () => {
    const res = await admin.post('/api/admin/channels', plant3()).expect(201);
    expect(res.body.pinsChanged).toBe(false);
    const created = res.body.channel as AdminChannel;
    expect(created.teams.map((team) => [team.name, team.preselected, team.role])).toEqual([
      ['Plant 3 committee', false, 'workplace'],
      ['Brand CSR', true, 'brand'],
    ]);
    expect(created.teams[0]!.recoveryFingerprint).toBe(t.repos.teams.find(committee.id)!.recoveryFingerprint);
    expect(created).toMatchObject({ createdDay: '2025-03-14', changedDay: null, languages: ['zh-CN', 'vi', 'en'] });

    const info = (await request(t.app).get('/api/channels/plant-3').expect(200)).body as ChannelInfo;
    expect(info).toMatchObject({
      slug: 'plant-3', name: 'Shenzhen plant 3', languages: ['zh-CN', 'vi', 'en'],
      runBy: 'The brand CSR team, with the plant 3 grievance committee',
      contacts: [{ name: 'Labour inspectorate Bao’an', reach: '+86 755 12345', note: 'Mon–Fri' }],
      notes: 'Posters hang by the canteen.',
    });
    expect(info.teams.map((team) => ({ id: team.id, preselected: team.preselected, role: team.role, note: team.note, keys: team.recipientKeys.length })))
      .toEqual([
        { id: committee.id, preselected: false, role: 'workplace', note: '厂内申诉委员会', keys: 2 },
        { id: brand.id, preselected: true, role: 'brand', note: '', keys: 2 },
      ]);
  });

  it('records who created it in the audit trail, with the slug and team ids only', async () => {
    await admin.post('/api/admin/channels', plant3()).expect(201);
    const event = t.repos.audit.list().find((e) => e.action === 'channel.created');
    expect(event).toMatchObject({ actor: 'investigator', investigatorId: brand.admin.id, detail: { channel: 'plant-3', teams: `${committee.id},${brand.id}` } });
    expect(JSON.stringify(event)).not.toContain('canteen');
  });

  it('refuses a slug that is taken, keeping the channel that has it', async () => {
    expect(await refusal(plant3({ slug: 'plant-3-old' }), 409)).toBe('channel_slug_taken');
    expect(t.repos.channels.find('plant-3-old')?.teamIds).toEqual([committee.id]);
    await admin.post('/api/admin/channels', plant3()).expect(201);
    expect(await refusal(plant3({ name: 'Again' }), 409)).toBe('channel_slug_taken');
    expect(t.repos.channels.find('plant-3')?.name).toBe('Shenzhen plant 3');
  });

  it.each([
    ['no_team_offered', () => plant3({ teams: [], preselected: [] })],
    ['team_listed_twice', () => plant3({ teams: [{ teamId: brand.id }, { teamId: brand.id }] })],
    ['team_not_found', () => plant3({ teams: [{ teamId: 'ghost-team-0123456789' }], preselected: ['ghost-team-0123456789'] })],
    ['no_team_preselected', () => plant3({ preselected: [] })],
    ['preselected_not_offered', () => plant3({ teams: [{ teamId: committee.id }], preselected: [brand.id] })],
    ['language_listed_twice', () => plant3({ languages: ['vi', 'en', 'vi'] })],
  ])('refuses with %s and stores nothing', async (code, body) => {
    expect(await refusal(body())).toBe(code);
    expect(t.repos.channels.find('plant-3')).toBeUndefined();
    expect(t.repos.audit.list().some((e) => e.action === 'channel.created')).toBe(false);
  });

  it.each([
    ['an unknown language', () => ({ languages: ['fr'] })],
    ['no language', () => ({ languages: [] })],
    ['an unknown role', () => ({ teams: [{ teamId: brand.id, role: 'owner' }] })],
    ['more teams than a worker may choose', () => ({ teams: Array.from({ length: CHANNEL_LIMITS.teams + 1 }, (_, i) => ({ teamId: `team-${i}-0123456789abcdef` })) })],
    ['a note too long for the form', () => ({ teams: [{ teamId: brand.id, note: 'x'.repeat(CHANNEL_LIMITS.teamNoteChars + 1) }] })],
    ['too many contacts', () => ({ contacts: Array.from({ length: CHANNEL_LIMITS.contacts + 1 }, () => ({ name: 'NGO', reach: '123' })) })],
    ['a contact without a way to reach it', () => ({ contacts: [{ name: 'NGO', reach: '  ' }] })],
    ['local notes too long', () => ({ notes: 'x'.repeat(CHANNEL_LIMITS.notesChars + 1) })],
    ['an empty name', () => ({ name: '   ' })],
    ['a slug with capitals', () => ({ slug: 'Plant-3' })],
    ['a field it does not know', () => ({ secret: 'x' })],
  ])('refuses %s as an invalid request', async (_what, overrides) => {
    expect(await refusal({ ...plant3(), ...overrides() })).toBe('invalid_request');
    expect(t.repos.channels.find('plant-3')).toBeUndefined();
  });
});

describe('who may manage channels', () => {
  it('allows only administrators of the team that runs the deployment', async () => {
    const other = await t.login(committee.admin);
    const colleague = await t.login(await t.addInvestigator(brand));
    for (const client of [other, colleague]) {
      const code = client === other ? 'deployment_admin_only' : 'admin_only';
      expect((await client.post('/api/admin/channels', plant3()).expect(403)).body.error).toBe(code);
      const { slug: _slug, ...settings } = plant3();
      expect((await put(client, '/api/admin/channels/plant-3-old', settings).expect(403)).body.error).toBe(code);
      expect((await client.get('/api/admin/channels').expect(403)).body.error).toBe(code);
      expect((await client.get('/api/admin/channel-teams').expect(403)).body.error).toBe(code);
    }
    await request(t.app).get('/api/admin/channels').expect(401);
    expect(t.repos.channels.find('plant-3')).toBeUndefined();
  });
});

describe('listing', () => {
  it('lists every channel with its teams’ recovery fingerprints, and the teams for the picker', async () => {
    await admin.post('/api/admin/channels', plant3()).expect(201);
    const list = (await admin.get('/api/admin/channels').expect(200)).body.channels as AdminChannel[];
    expect(list.map((c) => c.slug).sort()).toEqual(['brand-hq', 'plant-3', 'plant-3-old']);
    const fingerprints = list.find((c) => c.slug === 'plant-3')!.teams.map((team) => team.recoveryFingerprint);
    expect(fingerprints).toEqual([committee.id, brand.id].map((id) => t.repos.teams.find(id)!.recoveryFingerprint));
    for (const fp of fingerprints) expect(fp).toMatch(/^[0-9a-f]{40}$/);

    await t.addInvestigator(committee);
    const picker = (await admin.get('/api/admin/channel-teams').expect(200)).body.teams as Array<{ id: string; investigators: number }>;
    expect(Object.fromEntries(picker.map((team) => [team.id, team.investigators]))).toEqual({ [brand.id]: 1, [committee.id]: 2 });
  });
});

describe('changing a channel', () => {
  beforeEach(async () => {
    await admin.post('/api/admin/channels', plant3()).expect(201);
  });

  it('changes the local information without changing the link', async () => {
    t.clock.advance({ days: 2 });
    admin = await t.login(brand.admin); // the earlier session ended while the clock moved on
    const body = { ...plant3(), slug: undefined, name: 'Plant 3 (Bao’an)', languages: ['vi', 'zh-CN'], notes: '', contacts: [] };
    const res = await put(admin, '/api/admin/channels/plant-3', body).expect(200);
    expect(res.body.pinsChanged).toBe(false);
    expect(res.body.channel).toMatchObject({ name: 'Plant 3 (Bao’an)', languages: ['vi', 'zh-CN'], notes: '', contacts: [], changedDay: '2025-03-16', createdDay: '2025-03-14' });
    const info = (await request(t.app).get('/api/channels/plant-3').expect(200)).body as ChannelInfo;
    expect(info.languages).toEqual(['vi', 'zh-CN']);
    expect(info.contacts).toEqual([]);
  });

  it.each([
    ['another team offered', () => ({ teams: [{ teamId: brand.id }], preselected: [brand.id] })],
    ['the same teams in another order', () => ({ teams: [{ teamId: brand.id }, { teamId: committee.id }] })],
  ])('says the link changed with %s (posters must be printed again), and audits it', async (_what, change) => {
    const { slug: _slug, ...settings } = plant3();
    const res = await put(admin, '/api/admin/channels/plant-3', { ...settings, ...change() }).expect(200);
    expect(res.body.pinsChanged).toBe(true);
    const event = t.repos.audit.list().find((e) => e.action === 'channel.changed');
    expect(event?.detail).toMatchObject({ channel: 'plant-3', pinsChanged: true });
  });

  it('changes who is ticked for the worker without changing the link', async () => {
    const { slug: _slug, ...settings } = plant3();
    const res = await put(admin, '/api/admin/channels/plant-3', { ...settings, preselected: [committee.id, brand.id] }).expect(200);
    expect(res.body.pinsChanged).toBe(false);
    expect((res.body.channel as AdminChannel).teams.map((team) => team.preselected)).toEqual([true, true]);
  });

  it('keeps the channel as it was when a change is refused', async () => {
    const { slug: _slug, ...settings } = plant3();
    const before = t.repos.channels.find('plant-3');
    for (const [body, code] of [
      [{ ...settings, name: 'New', preselected: ['ghost-team-0123456789'] }, 'preselected_not_offered'],
      [{ ...settings, name: 'New', teams: [] }, 'no_team_offered'],
      [{ ...settings, name: 'New', teams: [{ teamId: 'ghost-team-0123456789' }], preselected: ['ghost-team-0123456789'] }, 'team_not_found'],
    ] as const) {
      expect((await put(admin, '/api/admin/channels/plant-3', body).expect(400)).body.error).toBe(code);
    }
    expect(t.repos.channels.find('plant-3')).toEqual(before);
  });

  it('refuses to change the slug, and a channel that does not exist', async () => {
    expect((await put(admin, '/api/admin/channels/plant-3', plant3({ slug: 'plant-4' })).expect(400)).body.error).toBe('invalid_request');
    const { slug: _slug, ...settings } = plant3();
    expect((await put(admin, '/api/admin/channels/plant-9', settings).expect(404)).body.error).toBe('channel_not_found');
  });
});

describe('the worker’s choice of teams', () => {
  it('shows a case only to the teams the worker chose: the other team neither lists nor opens it', async () => {
    await admin.post('/api/admin/channels', plant3()).expect(201);
    const { caseId } = await t.submitReport({ channel: 'plant-3', teamIds: [brand.id] });
    const other = await t.login(committee.admin);
    expect(((await other.get('/api/cases').expect(200)).body.cases as Array<{ id: string }>).map((c) => c.id)).not.toContain(caseId);
    expect((await other.get(`/api/cases/${caseId}`).expect(404)).body.error).toBe('case_not_found');
    expect(((await admin.get('/api/cases').expect(200)).body.cases as Array<{ id: string }>).map((c) => c.id)).toContain(caseId);
    await admin.get(`/api/cases/${caseId}`).expect(200);
  });

  it('refuses a report for a team the channel does not offer', async () => {
    await admin.post('/api/admin/channels', plant3({ teams: [{ teamId: committee.id }], preselected: [committee.id] })).expect(201);
    const draft = await t.draftReport({ channel: 'plant-3' });
    const res = await request(t.app).post('/api/intake').set(json).send({ ...draft.body, teamIds: [brand.id] }).expect(400);
    expect(res.body.error).toBe('team_not_offered');
  });
});
