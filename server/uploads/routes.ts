/**
 * Encrypted attachments (docs/protocol.md, “Attachments”): a ticket bought with a proof
 * of work, staged uploads under it, and downloads of a case's attachments by
 * its team and by its reporter. Bodies are raw OpenPGP bytes both ways.
 */
import { z } from 'zod';
import { AttachmentParams, ReporterCredentials, UploadCreated, UploadIdParams, UploadState, UploadTicket, UploadTicketRequest, id } from '../../common/api.ts';
import { caseForSession } from '../cases/policy.ts';
import type { AppContext } from '../context.ts';
import { HttpError } from '../errors.ts';
import { spendSolution } from '../reporter/pow-challenge.ts';
import { defineRoute, type Route } from '../routing/route.ts';
import { findReporterCase } from '../reporter/credentials.ts';
import { purgeSomeStale, stageUpload } from '../reporter/upload-stage.ts';
import { issueTicket } from '../reporter/upload-ticket.ts';
import { appendToUpload, openResumableUpload, resumableUploadState } from '../reporter/upload-resume.ts';

const CaseAttachmentParams = z.object({ id, attachmentId: id });

export function uploadRoutes(ctx: AppContext): Route[] {
  const { repos } = ctx;
  const notFound = () => new HttpError(404, 'attachment_not_found', 'no such attachment');
  return [
    defineRoute({
      method: 'post', path: '/api/uploads/ticket', summary: 'Buy an upload ticket with a proof of work (1 hour, one report)',
      tag: 'uploads', auth: 'public', request: UploadTicketRequest, response: UploadTicket, status: 200,
      handler: async ({ body }) => {
        await spendSolution(ctx, body.pow);
        purgeSomeStale(ctx, ctx.clock.now());
        return issueTicket(ctx);
      },
    }),
    defineRoute({
      method: 'post', path: '/api/uploads',
      summary: 'Stage one encrypted attachment (raw OpenPGP; header X-Ombud-Upload-Ticket)',
      tag: 'uploads', auth: 'public', consumes: 'octet-stream', response: UploadCreated, status: 201,
      handler: ({ req }) => stageUpload(ctx, req),
    }),
    // Resumable uploads (../reporter/upload-resume.ts): open, ask what the server holds, continue from there.
    defineRoute({
      method: 'post', path: '/api/uploads/resumable',
      summary: 'Open a resumable upload (headers X-Ombud-Upload-Ticket, X-Ombud-Upload-Length, X-Ombud-Upload-Digest: SHA-256 hex)',
      tag: 'uploads', auth: 'public', consumes: 'octet-stream', response: UploadState, status: 201,
      // An empty body: the bytes follow with PATCH, on a new connection (see resumableUploadState's route).
      handler: ({ req, res }) => {
        res.setHeader('Connection', 'close');
        return openResumableUpload(ctx, req);
      },
    }),
    defineRoute({
      method: 'get', path: '/api/uploads/:uploadId', summary: 'How many bytes of a resumable upload the server holds (header X-Ombud-Upload-Ticket)',
      tag: 'uploads', auth: 'public', params: UploadIdParams, response: UploadState, status: 200,
      // Connection: close, so that the PATCH that follows goes on a new connection: a browser repeats by
      // itself a request whose REUSED connection broke, and would send the whole rest of the file again
      // from the old offset (Chromium does; the cut test in tests/upload-resume.test.ts saw it).
      handler: ({ req, res, params }) => {
        res.setHeader('Connection', 'close');
        return resumableUploadState(ctx, req, params.uploadId);
      },
    }),
    defineRoute({
      method: 'patch', path: '/api/uploads/:uploadId',
      summary: 'Continue a resumable upload from X-Ombud-Upload-Offset (raw OpenPGP bytes; the same ticket and digest headers)',
      tag: 'uploads', auth: 'public', params: UploadIdParams, consumes: 'octet-stream', response: UploadState, status: 200,
      handler: ({ req, params }) => appendToUpload(ctx, req, params.uploadId),
    }),
    defineRoute({
      method: 'get', path: '/api/cases/:id/attachments/:attachmentId', summary: 'Download one encrypted attachment of a case',
      tag: 'cases', auth: 'investigator', params: CaseAttachmentParams, response: null, status: 200, produces: 'octet-stream',
      handler: ({ session, params }) => {
        const { record } = caseForSession(ctx, session, params.id);
        const body = repos.uploads.body(record.id, params.attachmentId);
        if (!body) throw notFound();
        ctx.audit.investigator('case.attachment_downloaded', session.investigator.id, record.id, { attachment: params.attachmentId });
        return body;
      },
    }),
    defineRoute({
      method: 'post', path: '/api/status/attachments/:attachmentId', summary: 'Download one of my encrypted attachments (reporter)',
      tag: 'status', auth: 'public', params: AttachmentParams, request: ReporterCredentials, response: null, status: 200,
      produces: 'octet-stream',
      errorCodes: ['case_not_found', 'too_many_attempts'], // findReporterCase: wrong credentials, and their per-address throttle
      handler: ({ req, body, params }) => {
        const record = findReporterCase(ctx, req, body);
        const bytes = repos.uploads.body(record.id, params.attachmentId);
        if (!bytes) throw notFound();
        return bytes;
      },
    }),
  ];
}
