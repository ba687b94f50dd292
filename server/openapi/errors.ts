/**
 * Which error answers an operation documents, data-driven: the general codes for every operation, the accounts
 * codes (session, CSRF, role) for every operation behind sign-in, and the codes of the domain(s) of the folder
 * its route file lives in (plus any `errorDomains` and single `errorCodes` the route declares), grouped by status through `ERROR_STATUS`.
 * server/openapi/errors.test.ts checks every HttpError thrown in server/ against this.
 */
import {
  ACCOUNT_ERROR_CODES, CASE_ERROR_CODES, CHANNEL_ERROR_CODES, GENERAL_ERROR_CODES, INTAKE_ERROR_CODES, PEOPLE_ERROR_CODES,
  SETUP_ERROR_CODES, STATUS_ERROR_CODES, UPLOAD_ERROR_CODES, PROMPT_ERROR_CODES,
} from '../../common/api.ts';
import { ERROR_STATUS, type ErrorCode } from '../errors.ts';

export const ERROR_DOMAINS = {
  general: GENERAL_ERROR_CODES,
  accounts: ACCOUNT_ERROR_CODES,
  intake: INTAKE_ERROR_CODES,
  channels: CHANNEL_ERROR_CODES,
  cases: CASE_ERROR_CODES,
  status: STATUS_ERROR_CODES,
  setup: SETUP_ERROR_CODES,
  uploads: UPLOAD_ERROR_CODES,
  people: PEOPLE_ERROR_CODES,
  prompts: PROMPT_ERROR_CODES,
} as const satisfies Record<string, readonly ErrorCode[]>;
export type ErrorDomain = keyof typeof ERROR_DOMAINS;

/** The folder under server/ of each route file (`.` for server/ itself) → the domains whose codes its operations throw. */
export const FOLDER_DOMAINS = {
  '.': [],
  audit: [],
  auth: ['accounts', 'people'],
  cases: ['cases'],
  channels: ['channels'],
  export: ['cases'],
  intake: ['intake', 'channels'],
  invites: ['people'],
  notify: [],
  openapi: [],
  people: ['people', 'cases'],
  posters: ['channels'],
  recovery: ['people', 'accounts'],
  retention: ['cases'],
  setup: ['setup', 'intake'],
  status: ['status'], // plus single codes its routes declare: the whole cases and intake lists would over-document
  uploads: ['uploads', 'intake', 'cases'],
  prompts: ['prompts'],
} as const satisfies Record<string, readonly ErrorDomain[]>;
export type RouteFolder = keyof typeof FOLDER_DOMAINS;

/** An operation behind sign-in may also answer with the session, CSRF and role codes. */
export const SIGNED_IN_DOMAINS: readonly ErrorDomain[] = ['accounts'];

export interface ErrorSource {
  auth: string;
  folder: RouteFolder;
  errorDomains: readonly ErrorDomain[];
  errorCodes: readonly ErrorCode[];
}

export function errorDomainsOf(route: ErrorSource): Set<ErrorDomain> {
  return new Set<ErrorDomain>([
    'general',
    ...(route.auth === 'investigator' ? SIGNED_IN_DOMAINS : []),
    ...FOLDER_DOMAINS[route.folder],
    ...route.errorDomains,
  ]);
}

/** status → the codes an operation may answer with at that status, in the order the domains list them. */
export function errorCodesByStatus(route: ErrorSource): Map<number, ErrorCode[]> {
  const byStatus = new Map<number, ErrorCode[]>();
  const domainCodes = [...errorDomainsOf(route)].flatMap((domain) => ERROR_DOMAINS[domain] as readonly ErrorCode[]);
  for (const code of [...domainCodes, ...route.errorCodes]) {
    for (const status of ERROR_STATUS[code]) {
      const codes = byStatus.get(status) ?? [];
      if (!codes.includes(code)) codes.push(code);
      byStatus.set(status, codes);
    }
  }
  return new Map([...byStatus].sort(([a], [b]) => a - b));
}
