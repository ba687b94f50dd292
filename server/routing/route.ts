/**
 * The route table: every API endpoint is one `defineRoute({...})` value.
 * The Express router (./router.ts) and the OpenAPI document
 * (../openapi/document.ts) are both built from the same list, so they cannot
 * drift apart.
 */
import type { Request, Response } from 'express';
import type { z } from 'zod';
import type { ActiveSession } from '../auth/session-gate.ts';
import type { ErrorCode } from '../errors.ts';
import type { ErrorDomain, RouteFolder } from '../openapi/errors.ts';

export type Method = 'get' | 'post' | 'put' | 'patch';
/** `text` (answers only): the handler returns a string, sent as text/plain (the metrics). */
export type BodyType = 'json' | 'octet-stream' | 'text';

/**
 * - `public`: anyone (reporters; the token-derived credentials, if any, are in the body);
 * - `investigator`: a signed-in session, plus the CSRF header on POST;
 * - `setup`: anyone holding the single-use setup link (checked by the handler).
 */
export type Auth = 'public' | 'investigator' | 'setup';

export interface HandlerInput<Body, Params, A extends Auth> {
  body: Body;
  params: Params;
  session: A extends 'investigator' ? ActiveSession : null;
  req: Request;
  res: Response;
}

/** With `response: null`, a route that `produces: 'octet-stream'` returns the bytes to send. */
type Output<Res> = Res extends z.ZodType ? z.input<Res> : void | Uint8Array | string;

export interface RouteSpec<
  A extends Auth,
  Req extends z.ZodType | undefined,
  Par extends z.ZodType | undefined,
  Res extends z.ZodType | null,
> {
  method: Method;
  /** Express syntax, `/api/cases/:id`. */
  path: string;
  summary: string;
  tag: string;
  auth: A;
  /** Schema of the JSON body; omit for none. */
  request?: Req;
  /** Schema of the path parameters. */
  params?: Par;
  /** Schema of the answer (fields not in it are dropped); `null` for 204-style answers and binary answers. */
  response: Res;
  status: number;
  /**
   * `octet-stream`: the request body is raw bytes; the router leaves the
   * stream to the handler (which reads it with a hard limit). Default JSON.
   */
  consumes?: BodyType;
  /** `octet-stream`: the handler returns a Uint8Array, sent as application/octet-stream. */
  produces?: BodyType;
  /** Domains of error codes this route throws beyond its folder's (server/openapi/errors.ts `FOLDER_DOMAINS`). */
  errorDomains?: readonly ErrorDomain[];
  /** Single codes of another domain this route throws, when taking the whole domain would over-document. */
  errorCodes?: readonly ErrorCode[];
  handler(
    input: HandlerInput<Req extends z.ZodType ? z.output<Req> : undefined, Par extends z.ZodType ? z.output<Par> : Record<string, never>, A>,
  ): Promise<Output<Res>> | Output<Res>;
}

/** A route with its types erased, as the router and the document see it. */
export interface Route {
  method: Method;
  path: string;
  summary: string;
  tag: string;
  auth: Auth;
  request: z.ZodType | undefined;
  params: z.ZodType | undefined;
  response: z.ZodType | null;
  status: number;
  consumes: BodyType;
  produces: BodyType;
  errorDomains: readonly ErrorDomain[];
  errorCodes: readonly ErrorCode[];
  /** The folder under server/ of the route's file; set by `inFolder` in ../routes.ts. */
  folder: RouteFolder;
  handler(input: HandlerInput<unknown, unknown, Auth>): Promise<unknown> | unknown;
}

export function defineRoute<
  A extends Auth,
  Req extends z.ZodType | undefined = undefined,
  Par extends z.ZodType | undefined = undefined,
  Res extends z.ZodType | null = null,
>(spec: RouteSpec<A, Req, Par, Res>): Route {
  return {
    method: spec.method,
    path: spec.path,
    summary: spec.summary,
    tag: spec.tag,
    auth: spec.auth,
    request: spec.request,
    params: spec.params,
    response: spec.response,
    status: spec.status,
    consumes: spec.consumes ?? 'json',
    produces: spec.produces ?? 'json',
    errorDomains: spec.errorDomains ?? [],
    errorCodes: spec.errorCodes ?? [],
    folder: '.',
    handler: spec.handler as Route['handler'],
  };
}

/** The routes of one folder under server/, marked so the document lists that folder's error codes (../openapi/errors.ts). */
export function inFolder(folder: RouteFolder, routes: readonly Route[]): Route[] {
  return routes.map((route) => ({ ...route, folder }));
}
