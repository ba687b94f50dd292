/**
 * A team's names in the worker languages (./team-names.ts): saved by an
 * administrator with their own key's signature over each, refused whole on
 * any bad entry, served on the channel for the report form to check.
 */
import request from 'supertest';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ChannelInfo, TeamNamesView } from '../../common/api.ts';
import { LIMITS } from '../../common/limits.ts';
import { signTeamName } from '../../crypto/index.ts';
import { CSRF_HEADER } from '../auth/session-gate.ts';
import { createTestServer, type InvestigatorClient, type TestInvestigator, type TestServer } from '../testing.ts';

let t: TestServer;
let admin: InvestigatorClient;
let view: TeamNamesView;
beforeEach(async () => {
  t = await createTestServer();
  admin = await t.login(t.team.admin);
  view = (await admin.get('/api/team/names').expect(200)).body as TeamNamesView;
});
afterEach(() => t.close());

const put = (client: InvestigatorClient, body: unknown) =>
  client.agent.put('/api/team/names').set('Content-Type', 'application/json').set(CSRF_HEADER, client.session.csrfToken).send(body as object);
const signed = async (lang: string, name: string, by: TestInvestigator = t.team.admin, over: Partial<{ teamId: string; recovery: string }> = {}) => ({
  lang, name,
  signature: await signTeamName({ teamId: over.teamId ?? view.teamId, recovery: over.recovery ?? view.recoveryFingerprint, lang, name, key: by.keyPair.privateKey }),
});
const stored = () => t.repos.teamNames.ofTeam(t.team.id).map((n) => `${n.lang}:${n.name}`);

describe('PUT /api/team/names', () => {
  it('stores the signed names, gives them back, and offers them on the channel', async () => {
    const names = [await signed('vi', 'Ban khiếu nại nhà máy'), await signed('zh-CN', '工厂申诉委员会')];
    const res = await put(admin, { names }).expect(200);
    expect((res.body as TeamNamesView).names.map((n) => n.lang)).toEqual(['vi', 'zh-CN']);
    const channel = (await request(t.app).get(`/api/channels/${t.team.channelSlug}`).expect(200)).body as ChannelInfo;
    expect(channel.teams[0]!.names).toEqual([...names].sort((a, b) => a.lang.localeCompare(b.lang)));
    await put(admin, { names: [] }).expect(200);
    expect(stored()).toEqual([]);
  });

  it('refuses bad input with a stable code and keeps the names it held', async () => {
    await put(admin, { names: [await signed('vi', 'Ban khiếu nại')] }).expect(200);
    const cases: [unknown, number, string][] = [
      [{ names: [await signed('vi', 'A'), await signed('vi', 'B')] }, 400, 'team_name_language_twice'],
      [{ names: [{ ...(await signed('vi', 'A')), name: 'Đội độc lập của thương hiệu' }] }, 400, 'team_name_signature_invalid'],
      [{ names: [await signed('vi', 'A', t.team.admin, { teamId: 'another-team' })] }, 400, 'team_name_signature_invalid'],
      [{ names: [await signed('vi', 'A', t.team.admin, { recovery: 'b'.repeat(40) })] }, 400, 'team_name_signature_invalid'],
      [{ names: [{ ...(await signed('vi', 'A')), lang: 'id' }] }, 400, 'team_name_signature_invalid'],
      [{ names: [{ ...(await signed('vi', 'A')), signature: 'not a signature' }] }, 400, 'team_name_signature_invalid'],
      [{ names: [await signed('xx', 'A')] }, 400, 'invalid_request'],
      [{ names: [await signed('vi', '   ')] }, 400, 'invalid_request'],
      [{ names: [await signed('vi', 'n'.repeat(LIMITS.teamNameChars + 1))] }, 400, 'invalid_request'],
      [{ names: [{ ...(await signed('vi', 'A')), signature: 's'.repeat(LIMITS.teamNameSignatureChars + 1) }] }, 400, 'invalid_request'],
      [{ names: [await signed('vi', 'A')], extra: 1 }, 400, 'invalid_request'],
      [{}, 400, 'invalid_request'],
    ];
    for (const [body, status, code] of cases) {
      const res = await put(admin, body);
      expect([res.status, res.body.error], JSON.stringify(body).slice(0, 120)).toEqual([status, code]);
    }
    expect(stored()).toEqual(['vi:Ban khiếu nại']);
  });

  it('takes names only from an administrator, signed by their own key', async () => {
    const member = await t.addInvestigator(t.team, { username: 'member', role: 'investigator' });
    const memberClient = await t.login(member);
    expect((await put(memberClient, { names: [await signed('vi', 'A', member)] }).expect(403)).body.error).toBe('admin_only');
    const otherAdmin = await t.addInvestigator(t.team, { username: 'admin2', role: 'admin' });
    // signed by a colleague's key, sent by this administrator: refused (the server checks the sender's own key)
    expect((await put(admin, { names: [await signed('vi', 'A', otherAdmin)] }).expect(400)).body.error).toBe('team_name_signature_invalid');
    expect(stored()).toEqual([]);
  });

  it('keeps one whole set when 30 saves arrive at once', async () => {
    const sets = await Promise.all(Array.from({ length: 30 }, async (_, i) => [
      await signed('vi', `Tên ${i}`), await signed('id', `Nama ${i}`), await signed('es', `Nombre ${i}`),
    ]));
    const answers = await Promise.all(sets.map((names) => put(admin, { names })));
    expect(answers.every((a) => a.status === 200)).toBe(true);
    const now = stored();
    expect(now).toHaveLength(3);
    const i = Number(now.find((n) => n.startsWith('vi:'))!.slice('vi:Tên '.length));
    expect(now.sort()).toEqual([`es:Nombre ${i}`, `id:Nama ${i}`, `vi:Tên ${i}`]);
  });
});
