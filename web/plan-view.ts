/**
 * Pure shapes the dashboard and the report draw from: one row per activity (or period), the counts
 * per area, the year chart. No clock: `today` comes from the caller.
 */
import type { ActivityStatus, PeriodStatus } from '../workflows/shared';
import { KIND_ES, lightOf, STATUS_ES, urgency, type Light } from './labels';

export interface ActivityRow {
  workflowId: string;
  number: number;
  period: string | null;
  title: string;
  responsible: string[];
  start: string;
  due: string;
  status: PeriodStatus | 'not-started';
  statusLabel: string;
  light: Light;
  evidence: string[];
  sent: string[];
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
      statusLabel: STATUS_ES[p.status], light: lightOf(p.status), evidence: [], sent: [],
    }));
  }
  return [{
    ...base, workflowId: status.workflowId, period: status.period, start: status.activity.start, due: status.due,
    status: status.status, statusLabel: STATUS_ES[status.status], light: lightOf(status.status),
    evidence: status.evidence.map(evidenceLabel), sent: status.sent.map((s) => `${s.at.slice(0, 10)} ${KIND_ES[s.kind] ?? s.kind}`),
  }];
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
  const lines = rows.map((r) => [r.number, r.period ?? '', r.title, r.responsible.join(' '), r.start, r.due, r.statusLabel, r.evidence.join(' | '), r.sent.join(' | ')].map(csvCell).join(','));
  return [header.join(','), ...lines].join('\r\n') + '\r\n';
}
