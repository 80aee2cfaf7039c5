/**
 * Pure shapes the dashboard and the report draw from: one row per activity (or period), the counts
 * per area, the year chart. No clock: `today` comes from the caller.
 */
import type { IndexedStatus } from '../client/status';
import type { ActivityStatus } from '../workflows/shared';
import { KIND_ES, lightOf, STATUS_ES, statusLabel, urgency, type Light, type RowStatus } from './labels';

export interface ActivityRow {
  workflowId: string;
  number: number;
  period: string | null;
  /** Empty when only the server's index answered and the start input could not be read. */
  title: string;
  responsible: string[];
  /** Empty when unknown (a row from the index). */
  start: string;
  due: string;
  status: RowStatus;
  statusLabel: string;
  light: Light;
  evidence: string[];
  sent: string[];
  /** Set when the worker did not answer and the row shows the server's index: says so, in Spanish. */
  indexNote: string | null;
}

function evidenceLabel(e: Extract<ActivityStatus, { kind: 'period' }>['evidence'][number]): string {
  const what = e.evidence.kind === 'url' ? e.evidence.url : `${e.evidence.name} (sha256 ${e.evidence.sha256.slice(0, 12)}…)`;
  const review = e.review ? ` [${e.review.decision === 'approve' ? 'aprobada' : 'rechazada'}]` : '';
  return `${what}${review}`;
}

export function rowsOf(status: ActivityStatus): ActivityRow[] {
  const base = { number: status.activity.number, title: status.activity.title, responsible: status.activity.responsible };
  if (status.kind === 'recurring') {
    return status.periods.map((p) => ({
      ...base, workflowId: p.workflowId, period: p.key, start: p.start, due: p.due, status: p.status,
      statusLabel: STATUS_ES[p.status], light: lightOf(p.status), evidence: [], sent: [], indexNote: null,
    }));
  }
  return [{
    ...base, workflowId: status.workflowId, period: status.period, start: status.activity.start, due: status.due,
    status: status.status, statusLabel: STATUS_ES[status.status], light: lightOf(status.status),
    evidence: status.evidence.map(evidenceLabel), sent: status.sent.map((s) => `${s.at.slice(0, 10)} ${KIND_ES[s.kind] ?? s.kind}`),
    indexNote: null,
  }];
}

/** What a row from the index lacks, and why: the worker did not answer within the deadline. */
export function indexNote(deadlineMs: number): string {
  return `Sin detalle: el motor no respondió en ${formatSeconds(deadlineMs)}; estado, vencimiento y áreas según el índice del servidor (sin evidencias ni avisos).`;
}

export function formatSeconds(ms: number): string {
  return `${(ms / 1000).toLocaleString('es-CO', { maximumFractionDigits: 1 })} s`;
}

/**
 * A row from the server's index: status, due date and areas as the workflow last set them; title and
 * start as it was started with, or as `known` from elsewhere (a period's title is its activity's).
 */
export function indexRow(index: IndexedStatus, deadlineMs: number, known: { title: string; start?: string } | null = index.startedAs): ActivityRow {
  const status: RowStatus = index.status ?? 'unknown';
  return {
    workflowId: index.workflowId,
    number: index.activity ?? 0,
    period: index.period,
    title: known?.title ?? '',
    responsible: index.areas,
    start: known?.start ?? '',
    due: index.due ?? index.startedAs?.due ?? '',
    status,
    statusLabel: statusLabel(status),
    light: lightOf(status),
    evidence: [],
    sent: [],
    indexNote: indexNote(deadlineMs),
  };
}

export function sortByUrgency(rows: ActivityRow[]): ActivityRow[] {
  return [...rows].sort((a, b) => urgency(a.status) - urgency(b.status) || a.number - b.number || (a.period ?? '').localeCompare(b.period ?? ''));
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

function csvCell(value: string | number): string {
  const text = String(value);
  // A leading =, +, - or @ would run as a formula in a spreadsheet.
  const safe = /^[=+\-@]/.test(text) ? `'${text}` : text;
  return /[",;\n\r]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}

export function reportCsv(rows: ActivityRow[]): string {
  const header = ['actividad', 'periodo', 'nombre', 'areas', 'inicio', 'vence', 'estado', 'evidencias', 'avisos_enviados'];
  // A row from the index says so where its title would be, so a spreadsheet never reads it as complete.
  const lines = rows.map((r) => [r.number, r.period ?? '', r.indexNote ? `${r.title} [${r.indexNote}]`.trim() : r.title, r.responsible.join(' '), r.start, r.due, r.statusLabel, r.evidence.join(' | '), r.sent.join(' | ')].map(csvCell).join(','));
  return [header.join(','), ...lines].join('\r\n') + '\r\n';
}
