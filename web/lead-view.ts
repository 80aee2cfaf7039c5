/**
 * An area lead's activities as their page shows them (routes/lead.ts): what is overdue first, then
 * what is open by its due date (the soonest first), then what has not started, then what is closed.
 * Pure: rows in, groups out; `today` comes from the caller.
 */
import type { Decision } from './plan-data';
import { isRowClosed, type ActivityRow } from './plan-view';

/**
 * Rows shown per group. An area owes tens of deliverables a year; OAPLA looking at every area of an
 * entity with thousands would get a page of megabytes, so past this each group says how many more
 * there are and the area filter narrows it.
 */
export const LEAD_ROWS_SHOWN = 300;

export interface LeadRow {
  workflowId: string;
  planId: string;
  number: number;
  period: string | null;
  title: string;
  areas: string;
  start: string;
  due: string;
  statusLabel: string;
  light: string;
  progressLabel: string;
  /** What OAPLA last decided on the evidence: "aprobada", "rechazada", or empty. */
  decision: string;
  /** How far the due date is, for what is still owed: "hace 3 días", "hoy", "en 1 día"; else empty. */
  dueIn: string;
}

export interface LeadGroup {
  key: 'overdue' | 'open' | 'upcoming' | 'closed';
  title: string;
  rows: LeadRow[];
  /** Rows of this group not shown (past LEAD_ROWS_SHOWN), and all of them. */
  more: number;
  total: number;
}

const DECISION_ES: Record<Exclude<Decision, null>, string> = { approve: 'aprobada', reject: 'rechazada' };
const DAY_MS = 86_400_000;
const dayNumber = (iso: string) => Date.UTC(Number(iso.slice(0, 4)), Number(iso.slice(5, 7)) - 1, Number(iso.slice(8, 10))) / DAY_MS;

/** Calendar days to the due date, as a lead reads it. */
function dueIn(days: number): string {
  if (days === 0) return 'vence hoy';
  const n = Math.abs(days);
  const span = n === 1 ? '1 día' : `${n} días`;
  return days < 0 ? `venció hace ${span}` : `vence en ${span}`;
}

function groupOf(row: ActivityRow): LeadGroup['key'] {
  if (row.overdue) return 'overdue';
  if (row.status === 'not-started') return 'upcoming';
  if (isRowClosed(row.status)) return 'closed';
  return 'open';
}

const TITLES: Record<LeadGroup['key'], string> = {
  overdue: 'Vencidas sin evidencia aceptada',
  open: 'En curso, por fecha de entrega',
  upcoming: 'Por iniciar',
  closed: 'Cerradas, las más recientes primero',
};

/** Ties broken by plan, number and period, so a page reads the same at every load. */
function byKey(key: LeadGroup['key']): (a: ActivityRow, b: ActivityRow) => number {
  const stable = (a: ActivityRow, b: ActivityRow) => a.planId.localeCompare(b.planId) || a.number - b.number || (a.period ?? '').localeCompare(b.period ?? '');
  if (key === 'upcoming') return (a, b) => a.start.localeCompare(b.start) || stable(a, b);
  if (key === 'closed') return (a, b) => b.due.localeCompare(a.due) || stable(a, b);
  return (a, b) => a.due.localeCompare(b.due) || stable(a, b);
}

export function leadGroups(items: { row: ActivityRow; decision: Decision }[], today: string): LeadGroup[] {
  const decisions = new Map(items.map((i) => [i.row.workflowId, i.decision]));
  const groups: LeadGroup[] = [];
  for (const key of ['overdue', 'open', 'upcoming', 'closed'] as const) {
    const rows = items
      .map((i) => i.row)
      .filter((r) => groupOf(r) === key)
      .sort(byKey(key));
    if (rows.length === 0) continue;
    groups.push({
      key,
      title: TITLES[key],
      more: Math.max(0, rows.length - LEAD_ROWS_SHOWN),
      total: rows.length,
      rows: rows.slice(0, LEAD_ROWS_SHOWN).map((r) => {
        const decision = decisions.get(r.workflowId) ?? null;
        return {
          workflowId: r.workflowId,
          planId: r.planId,
          number: r.number,
          period: r.period,
          title: r.title,
          areas: r.responsible.join(', '),
          start: r.start,
          due: r.due,
          statusLabel: r.statusLabel,
          light: r.light,
          progressLabel: r.progressLabel,
          decision: decision ? DECISION_ES[decision] : '',
          dueIn: r.due && (key === 'overdue' || key === 'open') ? dueIn(dayNumber(r.due) - dayNumber(today)) : '',
        };
      }),
    });
  }
  return groups;
}
