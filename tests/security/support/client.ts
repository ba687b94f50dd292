/**
 * Talking to a running server over loopback the way a browser's fetch does:
 * JSON bodies, the session cookie, the CSRF header. Also the reporter's side
 * (server/testing/reporter.ts accepts a URL as well as an app).
 */
import type { Express } from 'express';
import type { OpenAPIV3_1Like } from './openapi.ts';
import type { TestInvestigator } from '../../../server/testing/organisation.ts';
import { draftReport, type DraftOptions, type ReportDraft } from '../../../server/testing/reporter.ts';

export interface Answer {
  status: number;
  headers: Headers;
  text: string;
  json(): unknown;
}

export type SendInit = Omit<RequestInit, 'body'> & { body?: string | Uint8Array | undefined };

export async function send(url: string, init: SendInit = {}): Promise<Answer> {
  const res = await fetch(url, { redirect: 'manual', ...init, body: init.body as BodyInit | undefined });
  const text = await res.text();
  return { status: res.status, headers: res.headers, text, json: () => JSON.parse(text) as unknown };
}

export const JSON_TYPE = { 'Content-Type': 'application/json' } as const;

export interface Signed {
  cookie: string;
  csrf: string;
  setCookie: string;
  get(path: string, headers?: Record<string, string>): Promise<Answer>;
  post(path: string, body?: unknown, method?: string): Promise<Answer>;
}

export async function signIn(base: string, who: Pick<TestInvestigator, 'username' | 'verifier'>, headers: Record<string, string> = {}): Promise<Signed> {
  const res = await send(`${base}/api/auth/login`, {
    method: 'POST', headers: { ...JSON_TYPE, ...headers }, body: JSON.stringify({ username: who.username, verifier: who.verifier }),
  });
  if (res.status !== 200) throw new Error(`login of ${who.username} answered ${res.status}: ${res.text}`);
  const setCookie = res.headers.get('set-cookie') ?? '';
  const cookie = /ombud_session=([^;]+)/.exec(setCookie)?.[1];
  if (!cookie) throw new Error('login set no cookie');
  const csrf = (res.json() as { csrfToken: string }).csrfToken;
  const auth = { Cookie: `ombud_session=${cookie}` };
  return {
    cookie, csrf, setCookie,
    get: (path, extra = {}) => send(`${base}${path}`, { headers: { ...auth, ...extra } }),
    post: (path, body = {}, method = 'POST') =>
      send(`${base}${path}`, { method, headers: { ...auth, ...JSON_TYPE, 'X-Ombud-CSRF': csrf }, body: JSON.stringify(body) }),
  };
}

/** A report drafted against a running server (real keys, real ciphertext, solved proof of work). */
export function draftAt(base: string, options: DraftOptions): Promise<ReportDraft> {
  return draftReport(base as unknown as Express, options);
}

export async function openApi(base: string): Promise<OpenAPIV3_1Like> {
  return (await send(`${base}/api/openapi.json`)).json() as OpenAPIV3_1Like;
}
