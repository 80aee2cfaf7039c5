/** The readable Spanish (or English) summary of a simulated year. */
import { shortTitle } from '../calendar/agenda';
import { KIND_LABELS, STATUS_LABELS } from '../domain/labels';
import type { Plan } from '../plans/model';
import type { SimulationReport } from './simulate';

type Locale = 'es' | 'en';

const KIND = KIND_LABELS;
const OUTCOME: Record<Locale, Record<string, string>> = STATUS_LABELS;

export function formatSimulation(report: SimulationReport, plan: Plan, locale: Locale = 'es'): string {
  const es = locale === 'es';
  const lines: string[] = [];
  const seconds = report.seconds.toLocaleString(es ? 'es-CO' : 'en-US', { maximumFractionDigits: 1 });
  lines.push(
    es
      ? `Simulación de "${plan.title}": ${plan.activities.length} actividades, ${report.notifications.length} correos, ${seconds} s.`
      : `Simulation of "${plan.title}": ${plan.activities.length} activities, ${report.notifications.length} e-mails, ${seconds} s.`,
  );
  const counts = new Map<string, number>();
  for (const n of report.notifications) counts.set(n.kind, (counts.get(n.kind) ?? 0) + 1);
  lines.push(`${es ? 'Correos por tipo' : 'E-mails by kind'}: ${[...counts].map(([k, c]) => `${KIND[locale][k] ?? k} ${c}`).join(', ')}`);
  const tally = new Map<string, number>();
  for (const o of report.outcomes) tally.set(o.status, (tally.get(o.status) ?? 0) + 1);
  lines.push(`${es ? 'Resultados' : 'Outcomes'}: ${[...tally].map(([k, c]) => `${OUTCOME[locale][k] ?? k} ${c}`).join(', ')}`);
  lines.push('');
  for (const o of report.outcomes) {
    const activity = plan.activities.find((a) => a.number === o.activity);
    const period = o.period ? ` (${es ? 'periodo' : 'period'} ${o.period})` : '';
    const sent = report.notifications.filter((n) => n.activity === o.activity && n.period === o.period).length;
    lines.push(
      `  ${String(o.activity).padStart(2)}. ${shortTitle(activity?.title ?? '', 50)}${period}: ${OUTCOME[locale][o.status] ?? o.status}, ${o.closedAt.slice(0, 10)} · ${sent} ${es ? 'correos' : 'e-mails'}`,
    );
  }
  if (report.notes.length > 0) {
    lines.push('', es ? 'Notas:' : 'Notes:', ...report.notes.map((n) => `  - ${n}`));
  }
  return `${lines.join('\n')}\n`;
}
