/** The readable Spanish (or English) summary of a simulated year. */
import { shortTitle } from '../calendar/agenda';
import type { Plan } from '../plans/model';
import type { SimulationReport } from './simulate';

type Locale = 'es' | 'en';

const KIND: Record<Locale, Record<string, string>> = {
  es: {
    kickoff: 'inicio', reminder: 'recordatorio', due: 'vencimiento', escalation: 'escalamiento', missed: 'incumplido',
    'evidence-received': 'evidencia recibida', 'check-failed': 'verificación fallida', 'review-requested': 'revisión solicitada',
    approved: 'aprobada', rejected: 'rechazada', extended: 'prórroga', amended: 'cambio', cancelled: 'cancelada', 'delivery-failed': 'fallo de entrega',
  },
  en: {
    kickoff: 'kickoff', reminder: 'reminder', due: 'due', escalation: 'escalation', missed: 'missed',
    'evidence-received': 'evidence received', 'check-failed': 'check failed', 'review-requested': 'review requested',
    approved: 'approved', rejected: 'rejected', extended: 'extended', amended: 'amended', cancelled: 'cancelled', 'delivery-failed': 'delivery failed',
  },
};

const OUTCOME: Record<Locale, Record<string, string>> = {
  es: { 'on-time': 'a tiempo', late: 'tarde', missed: 'incumplida', cancelled: 'cancelada' },
  en: { 'on-time': 'on time', late: 'late', missed: 'missed', cancelled: 'cancelled' },
};

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
