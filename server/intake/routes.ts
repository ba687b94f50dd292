/** Public intake endpoints: a proof-of-work challenge, then the report. */
import { IntakeReceipt, IntakeRequest, PowChallenge } from '../../common/api.ts';
import type { AppContext } from '../context.ts';
import { defineRoute, type Route } from '../routing/route.ts';
import { issueChallenge } from '../reporter/pow-challenge.ts';
import { receiveReport } from './receive.ts';
import { receiveOnce } from './replay.ts';

export function intakeRoutes(ctx: AppContext): Route[] {
  return [
    defineRoute({
      method: 'post',
      path: '/api/pow',
      summary: 'Issue a proof-of-work challenge (valid 10 minutes, one report)',
      tag: 'intake',
      auth: 'public',
      response: PowChallenge,
      status: 200,
      handler: () => issueChallenge(ctx),
    }),
    defineRoute({
      method: 'post',
      path: '/api/intake',
      summary: 'Submit an encrypted report',
      tag: 'intake',
      auth: 'public',
      request: IntakeRequest,
      response: IntakeReceipt,
      status: 201,
      // A report's attachments are checked against the upload ticket (../reporter/upload-stage.ts).
      errorDomains: ['uploads'],
      // The same report sent again gets its original receipt (./replay.ts).
      handler: ({ body }) => receiveOnce(ctx, body, receiveReport),
    }),
  ];
}
