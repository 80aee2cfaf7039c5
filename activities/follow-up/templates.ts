/**
 * The cut report mail's templates, compiled once from files in ./templates (never from user input).
 * HTML escapes every `{{value}}`; text and subject are compiled without escaping, as the notices are.
 */
import { join } from 'node:path';
import { REPO_ROOT } from '../../config/paths';
import type { RenderedEmail } from '../email/templates';
import { compileMailSet } from '../email/mail-set';
import type { CutTotals } from './types';

export const CUT_TEMPLATES_DIR = join(REPO_ROOT, 'activities', 'follow-up', 'templates');

export interface CutMailView {
  locale: 'es' | 'en';
  plan: { id: string; title: string; entity: string | null };
  cut: string;
  deadline: string;
  totals: CutTotals;
  /** The plan's average progress written for the reader's locale. */
  progressText: string;
  controlInterno: boolean;
  planUrl: string | null;
}

export type CutTemplates = (view: CutMailView) => RenderedEmail;

const SAMPLE: CutMailView = {
  locale: 'es',
  plan: { id: 'plan', title: 'Plan', entity: null },
  cut: '2023-04-30',
  deadline: '2023-05-15',
  totals: { key: 'PLAN', activities: 1, delivered: 0, late: 0, withProgress: 0, progress: 0 },
  progressText: '0',
  controlInterno: true,
  planUrl: null,
};

export function loadCutTemplates(dir = CUT_TEMPLATES_DIR): CutTemplates {
  return compileMailSet(dir, 'del informe de seguimiento', SAMPLE);
}
