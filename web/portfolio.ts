/**
 * OAPLA's home: every plan of the entity (Decreto 612 de 2018 has each entity integrate its
 * institutional plans and publish them by 31 January) with its traffic light and what needs OAPLA:
 * overdue deliverables and evidence waiting for review. Pure: rows in, summaries out.
 */
import type { Light } from './labels';
import { isRowClosed, type ActivityRow } from './plan-view';

export interface PlanSummary {
  planId: string;
  total: number;
  lights: Record<Light, number>;
  overdue: number;
  inReview: number;
  /** The plan's light: red when anything is escalated, missed or overdue, then amber, green, grey. */
  light: Light;
  lightLabel: string;
}

const LIGHT_LABELS: Record<Light, string> = { rojo: 'requiere acción', ambar: 'por vencer', verde: 'al día', gris: 'sin iniciar o sin dato' };

export function planSummaries(rows: ActivityRow[]): PlanSummary[] {
  const plans = new Map<string, PlanSummary>();
  for (const r of rows) {
    const p = plans.get(r.planId) ?? {
      planId: r.planId,
      total: 0,
      lights: { rojo: 0, ambar: 0, verde: 0, gris: 0 },
      overdue: 0,
      inReview: 0,
      light: 'gris',
      lightLabel: '',
    };
    p.total++;
    p.lights[r.light]++;
    if (r.overdue) p.overdue++;
    if (r.status === 'in-review' || r.status === 'checking') p.inReview++;
    plans.set(r.planId, p);
  }
  return [...plans.values()]
    .map((p) => {
      const light: Light = p.lights.rojo > 0 || p.overdue > 0 ? 'rojo' : p.lights.ambar > 0 ? 'ambar' : p.lights.verde > 0 ? 'verde' : 'gris';
      return { ...p, light, lightLabel: LIGHT_LABELS[light] };
    })
    .sort((a, b) => a.planId.localeCompare(b.planId));
}

/** What an area owes this month, in every plan: due within the month and not closed, or overdue from before. */
export function owedThisMonth(rows: ActivityRow[], today: string): ActivityRow[] {
  const month = today.slice(0, 7);
  return rows.filter((r) => r.overdue || (r.due.startsWith(month) && !isRowClosed(r.status)));
}
