/**
 * The team's work on a case: internal notes, assignment, labels, the
 * retaliation-risk assessment and conflict-of-interest exclusions.
 *
 * Every workflow change carries the `version` the investigator saw and is a
 * compare-and-set on it (db/case-work.repo.ts): when a colleague changed the
 * case in between, the answer is 409 `conflict` and nothing is written.
 * Every change is audited in the same transaction.
 */
import { z } from 'zod';
import {
  AssignRequest, CaseSummary, ExclusionRequest, LabelsRequest, NoteCreated, NoteRequest, RiskRequest, id,
} from '../../common/api.ts';
import type { ActiveSession } from '../auth/session-gate.ts';
import type { AppContext } from '../context.ts';
import { dayOf } from '../clock.ts';
import { decodeField } from '../encoding.ts';
import { HttpError } from '../errors.ts';
import { assertEncryptedTo } from '../recipients/recipients.ts';
import { defineRoute, type Route } from '../routing/route.ts';
import { randomId } from '../security/secrets.ts';
import { assertAdmin } from '../auth/policy.ts';
import { caseForSession, colleagueFor, noteRecipients } from './policy.ts';
import { presentSummary } from './presenter.ts';

const CaseParams = z.object({ id });
const Exclusions = z.object({ exclusions: z.array(z.object({ investigatorId: id, displayName: z.string(), day: z.string() })) });

const CONFLICT = 'a colleague changed this case since you opened it; reload it and try again';

export function caseWorkRoutes(ctx: AppContext): Route[] {
  const { repos, audit } = ctx;
  const today = () => dayOf(ctx.clock.now());

  /** Runs a compare-and-set change and its audit together; 409 if it lost. */
  const change = (session: ActiveSession, caseId: string, write: () => boolean, audited: () => void) => {
    const won = repos.transaction(() => {
      if (!write()) return false;
      audited();
      return true;
    });
    if (!won) throw new HttpError(409, 'conflict', CONFLICT);
    const updated = repos.caseLists.findForTeam(caseId, session.team.id);
    if (!updated) throw new Error('case vanished during a change');
    return presentSummary(updated);
  };

  return [
    defineRoute({
      method: 'post', path: '/api/cases/:id/notes', summary: 'Add an internal note (encrypted, team only)', tag: 'cases',
      auth: 'investigator', params: CaseParams, request: NoteRequest, response: NoteCreated, status: 201,
      errorCodes: ['not_encrypted', 'wrong_recipients'], // assertEncryptedTo: the ciphertext must be encrypted to exactly the case's recipients
      handler: ({ session, params, body }) => {
        const { record } = caseForSession(ctx, session, params.id);
        const ciphertext = decodeField('body', body.body);
        assertEncryptedTo(ciphertext, noteRecipients(ctx, record.id));
        const noteId = randomId();
        const day = today();
        repos.transaction(() => {
          repos.notes.create({ id: noteId, caseId: record.id, investigatorId: session.investigator.id, day, body: ciphertext });
          audit.investigator('case.note_added', session.investigator.id, record.id, { note: noteId });
        });
        return { id: noteId, day };
      },
    }),
    defineRoute({
      method: 'post', path: '/api/cases/:id/assign', summary: 'Assign a case to an investigator of the team, or unassign it', tag: 'cases',
      auth: 'investigator', params: CaseParams, request: AssignRequest, response: CaseSummary, status: 200,
      handler: ({ session, params, body }) => {
        const { listing } = caseForSession(ctx, session, params.id);
        if (body.investigatorId) colleagueFor(ctx, session, listing.id, body.investigatorId);
        return change(
          session, listing.id,
          () => repos.caseWork.assign(listing.id, body.investigatorId, body.version),
          () => audit.investigator('case.assigned', session.investigator.id, listing.id, { investigator: body.investigatorId }),
        );
      },
    }),
    defineRoute({
      method: 'post', path: '/api/cases/:id/labels', summary: 'Set the labels of a case (in the clear)', tag: 'cases',
      auth: 'investigator', params: CaseParams, request: LabelsRequest, response: CaseSummary, status: 200,
      handler: ({ session, params, body }) => {
        const { listing } = caseForSession(ctx, session, params.id);
        const labels = [...new Set(body.labels.map((l) => l.trim()))];
        return change(
          session, listing.id,
          () => repos.caseWork.setLabels(listing.id, labels, body.version),
          () => audit.investigator('case.labels_changed', session.investigator.id, listing.id, { count: labels.length }),
        );
      },
    }),
    defineRoute({
      method: 'post', path: '/api/cases/:id/risk', summary: 'Assess the risk of retaliation (level in the clear, rationale encrypted)', tag: 'cases',
      auth: 'investigator', params: CaseParams, request: RiskRequest, response: CaseSummary, status: 200,
      errorCodes: ['not_encrypted', 'wrong_recipients'], // assertEncryptedTo: the ciphertext must be encrypted to exactly the case's recipients
      handler: ({ session, params, body }) => {
        const { listing } = caseForSession(ctx, session, params.id);
        const rationale = decodeField('rationale', body.rationale);
        assertEncryptedTo(rationale, noteRecipients(ctx, listing.id));
        return change(
          session, listing.id,
          () => repos.caseWork.setRisk(listing.id, { level: body.level, rationale, day: today(), investigatorId: session.investigator.id }, body.version),
          () => audit.investigator('case.risk_assessed', session.investigator.id, listing.id, { level: body.level }),
        );
      },
    }),
    defineRoute({
      method: 'post', path: '/api/cases/:id/exclusions', summary: 'Exclude an investigator from a case (conflict of interest; administrators)', tag: 'cases',
      auth: 'investigator', params: CaseParams, request: ExclusionRequest, response: Exclusions, status: 200,
      handler: ({ session, params, body }) => {
        const { listing } = caseForSession(ctx, session, params.id);
        assertAdmin(session);
        if (body.investigatorId === session.investigator.id) {
          throw new HttpError(400, 'cannot_exclude_self', 'you cannot exclude yourself; ask another administrator');
        }
        colleagueFor(ctx, session, listing.id, body.investigatorId);
        repos.transaction(() => {
          if (repos.caseWork.exclude(listing.id, body.investigatorId, today(), session.investigator.id)) {
            audit.investigator('case.excluded', session.investigator.id, listing.id, { investigator: body.investigatorId, excluded: true });
          }
        });
        return { exclusions: repos.caseWork.exclusions(listing.id) };
      },
    }),
  ];
}
