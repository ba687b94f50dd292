/**
 * GET /api/posters/:slug: only a deployment administrator gets what a
 * channel's poster prints, and the link in it pins the offered teams'
 * recovery keys in the channel's order.
 */
import request from 'supertest';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { channelLink } from '../../common/channel-link.ts';
import { PosterData } from '../../common/poster.ts';
import { createTestServer, type TestServer } from '../testing.ts';

let t: TestServer;
beforeEach(async () => {
  t = await createTestServer({ config: { publicUrl: 'https://ombud.example.org' } });
});
afterEach(() => t.close());

/** A channel offering the deployment's team and a supplier's committee (7 and 5 days). */
async function twoTeamChannel() {
  const supplier = await t.addTeam({ name: 'Supplier committee', runsDeployment: false });
  t.repos.teams.setDeadlines(supplier.id, 5, 2);
  t.repos.channels.create({
    slug: 'plant-7', name: 'Plant 7', createdDay: '2025-01-01', languages: ['zh-CN', 'hi'],
    teams: [
      { teamId: supplier.id, preselected: false, role: 'workplace', note: '' },
      { teamId: t.team.id, preselected: true, role: null, note: '' },
    ],
  });
  return supplier;
}

describe('GET /api/posters/:slug', () => {
  it('gives a deployment administrator the channel, its teams, deadlines and pinned link', async () => {
    const supplier = await twoTeamChannel();
    const admin = await t.login(t.team.admin);
    const res = await admin.get('/api/posters/plant-7').expect(200);
    const poster = PosterData.parse(res.body);
    const fingerprints = [supplier.id, t.team.id].map((id) => t.repos.teams.find(id)!.recoveryFingerprint);
    expect(poster).toEqual({
      slug: 'plant-7',
      name: 'Plant 7',
      languages: ['zh-CN', 'hi'],
      teams: [
        { name: 'Supplier committee', role: 'workplace', ackDays: 5, feedbackMonths: 2, recoveryFingerprint: fingerprints[0] },
        { name: 'CSR team', role: null, ackDays: 7, feedbackMonths: 3, recoveryFingerprint: fingerprints[1] },
      ],
      publicUrl: 'https://ombud.example.org',
      link: channelLink('https://ombud.example.org', 'plant-7', fingerprints),
      statusUrl: 'https://ombud.example.org/status',
      onionLink: null,
    });
    expect(poster.link).toBe(`https://ombud.example.org/r/plant-7#pins=${fingerprints[0]}.${fingerprints[1]}`);
    expect(Object.keys(res.body).sort()).toEqual(['languages', 'link', 'name', 'onionLink', 'publicUrl', 'slug', 'statusUrl', 'teams']);
  });

  it('gives the same pinned link on the onion address when one is configured (OMBUD_EXTRA_ORIGINS)', async () => {
    t.close();
    const onion = `http://${'q'.repeat(56)}.onion`;
    t = await createTestServer({ config: { publicUrl: 'https://ombud.example.org', extraOrigins: ['https://other.example.org', onion] } });
    const supplier = await twoTeamChannel();
    const admin = await t.login(t.team.admin);
    const poster = PosterData.parse((await admin.get('/api/posters/plant-7').expect(200)).body);
    const fingerprints = [supplier.id, t.team.id].map((id) => t.repos.teams.find(id)!.recoveryFingerprint);
    expect(poster.onionLink).toBe(channelLink(onion, 'plant-7', fingerprints));
    expect(poster.link).toBe(channelLink('https://ombud.example.org', 'plant-7', fingerprints));
  });

  it('refuses anyone not signed in', async () => {
    await twoTeamChannel();
    const res = await request(t.app).get('/api/posters/plant-7').expect(401);
    expect(res.body.error).toBe('not_authenticated');
  });

  it('refuses an investigator of the deployment team who is not an administrator', async () => {
    const investigator = await t.addInvestigator(t.team, { role: 'investigator' });
    const res = await (await t.login(investigator)).get(`/api/posters/${t.team.channelSlug}`).expect(403);
    expect(res.body.error).toBe('admin_only');
  });

  it('refuses the administrator of another team, even for a channel that offers their team', async () => {
    const supplier = await twoTeamChannel();
    const res = await (await t.login(supplier.admin)).get('/api/posters/plant-7').expect(403);
    expect(res.body).toEqual({ error: 'deployment_admin_only', message: expect.stringMatching(/administrator/) });
  });

  it('answers 404 with what to do for a channel that does not exist', async () => {
    const res = await (await t.login(t.team.admin)).get('/api/posters/no-such-plant').expect(404);
    expect(res.body).toEqual({ error: 'channel_not_found', message: expect.stringMatching(/slug/) });
  });

  it('refuses a slug that is not one, before looking anything up', async () => {
    const res = await (await t.login(t.team.admin)).get('/api/posters/Not%20A%20Slug').expect(400);
    expect(res.body.error).toBe('invalid_request');
  });
});
