/** The team-only parts of a case detail: notes, the risk assessment, exclusions. Never shown to the reporter. */
import type { CaseDetail } from '../../common/api.ts';
import type { Exclusion, NoteRecord, RiskAssessment } from '../../db/index.ts';
import { toBase64Url } from '../encoding.ts';

export function presentCaseWork(input: {
  notes: NoteRecord[];
  noteKeys: string[];
  risk: RiskAssessment | null;
  exclusions: Exclusion[];
}): Pick<CaseDetail, 'notes' | 'noteKeys' | 'risk' | 'exclusions'> {
  const { risk } = input;
  return {
    notes: input.notes.map((n) => ({ id: n.id, day: n.day, by: n.byName, body: toBase64Url(n.body) })),
    noteKeys: input.noteKeys,
    risk: risk && { level: risk.level, day: risk.day, by: risk.byName ?? 'system', rationale: toBase64Url(risk.rationale) },
    exclusions: input.exclusions.map((x) => ({ investigatorId: x.investigatorId, displayName: x.displayName, day: x.day })),
  };
}
