/**
 * Pure shapes the dashboard and the report draw from: one row per activity (or started period) as
 * visibility lists it, the filters OAPLA applies, the counts per area and per state, the year chart.
 * No clock: `today` comes from the caller.
 */
import type { ListedWorkflow } from '../domain/listed-workflow';
import { csvCell } from '../domain/spreadsheet-text';
import { isClosed } from '../workflows/shared';
import { lightOf, statusLabel, urgency, type Light, type RowStatus } from './labels';

export interface ActivityRow {
  workflowId: string;
  planId: string;
  number: number;
  period: string | null;
  /** Empty for a workflow started before titles were indexed (the page shows its ID). */
  title: string;
  responsible: string[];
  /** Empty when not indexed yet. */
  start: string;
  due: string;
  status: RowStatus;
  statusLabel: string;
  light: Light;
  /** Evidence handed in; null when not indexed yet. */
  evidence: number | null;
  /** The last percentage of progress the area reported; null before any. */
  progress: number | null;
  /** `60 %`, or empty: Handlebars takes 0 for "nothing". */
  progressLabel: string;
  lastNotice: string | null;
  nextNotice: string | null;
  /** Past its due date without evidence accepted, checked or in review, and not closed. */
  overdue: boolean;
  /** A notice of this activity the worker could not send yet: "aviso de inicio sin enviar desde …: motivo". */
  unsent?: string;
}

export function isRowClosed(status: RowStatus): boolean {
  return status !== 'not-started' && status !== 'unknown' && isClosed(status);
}

export function isOverdue(status: RowStatus, due: string, today: string): boolean {
  if (!due || due >= today) return false;
  if (status === 'not-started' || status === 'unknown') return false;
  return !isClosed(status) && status !== 'checking' && status !== 'in-review';
}

export function rowOf(w: ListedWorkflow, today: string): ActivityRow {
  const status: RowStatus = w.status ?? 'unknown';
  return {
    workflowId: w.workflowId,
    planId: w.planId,
    number: w.activity,
    period: w.period,
    title: w.title,
    responsible: w.areas,
    start: w.start,
    due: w.due,
    status,
    statusLabel: statusLabel(status),
    light: lightOf(status),
    evidence: w.evidence,
    progress: w.progress,
    progressLabel: w.progress === null ? '' : `${w.progress} %`,
    lastNotice: w.lastNotice,
    nextNotice: w.nextNotice,
    overdue: isOverdue(status, w.due, today),
  };
}

export function formatSeconds(ms: number): string {
  return `${(ms / 1000).toLocaleString('es-CO', { maximumFractionDigits: 1 })} s`;
}

export interface AreaCounts {
  area: string;
  byStatus: Record<string, number>;
  onTime: number;
  late: number;
  missed: number;
  open: number;
}

/** Each responsible area counts the activity, so shared activities show under every area. */
export function countsByArea(rows: ActivityRow[]): AreaCounts[] {
  const areas = new Map<string, AreaCounts>();
  for (const row of rows) {
    for (const area of row.responsible) {
      const c = areas.get(area) ?? { area, byStatus: {}, onTime: 0, late: 0, missed: 0, open: 0 };
      c.byStatus[row.statusLabel] = (c.byStatus[row.statusLabel] ?? 0) + 1;
      if (row.status === 'on-time') c.onTime++;
      else if (row.status === 'late') c.late++;
      else if (row.status === 'missed') c.missed++;
      else if (row.status !== 'cancelled') c.open++;
      areas.set(area, c);
    }
  }
  return [...areas.values()].sort((a, b) => a.area.localeCompare(b.area));
}

export function reportCsv(rows: ActivityRow[]): string {
  const header = [
    'plan',
    'actividad',
    'periodo',
    'nombre',
    'areas',
    'inicio',
    'vence',
    'estado',
    'vencida',
    'evidencias',
    'ultimo_aviso',
    'proximo_aviso',
    'avance',
  ];
  const lines = rows.map((r) =>
    [
      r.planId,
      r.number,
      r.period ?? '',
      r.title,
      r.responsible.join(' '),
      r.start,
      r.due,
      r.statusLabel,
      r.overdue ? 'sí' : 'no',
      r.evidence ?? '',
      r.lastNotice ?? '',
      r.nextNotice ?? '',
      // Last, so a spreadsheet that reads the columns by position keeps working.
      r.progress ?? '',
    ]
      .map(csvCell)
      .join(','),
  );
  return [header.join(','), ...lines].join('\r\n') + '\r\n';
}

/** How many rows are in each state, most urgent first. */
export function countsByState(rows: ActivityRow[]): { status: RowStatus; label: string; light: Light; n: number }[] {
  const counts = new Map<RowStatus, number>();
  for (const r of rows) counts.set(r.status, (counts.get(r.status) ?? 0) + 1);
  return [...counts.entries()]
    .sort(([a], [b]) => urgency(a) - urgency(b) || a.localeCompare(b))
    .map(([status, n]) => ({ status, label: statusLabel(status), light: lightOf(status), n }));
}
