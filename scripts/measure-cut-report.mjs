#!/usr/bin/env node
// How long the follow-up cut report takes for a plan of N deliverables (default 10,000), against the
// plan page's CSV of the same rows measured in the same process: `npm run build && node
// scripts/measure-cut-report.mjs 10000`. Prints JSON: milliseconds, ratios to the baseline, bytes.
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const { buildCutSnapshot, renderCutCsv, renderCutXlsx, renderCutPdf } = require('../dist/activities/follow-up');
const { reportCsv, rowOf } = require('../dist/web/plan-view');
const { BusinessCalendar } = require('../dist/calendar/business-calendar');

const n = Number(process.argv[2] ?? 10000);
const listed = Array.from({ length: n }, (_, i) => ({
  workflowId: `plan-a/${i + 1}`,
  planId: 'plan-a',
  activity: i + 1,
  period: null,
  title: `Actividad de participación ciudadana número ${i + 1}`,
  areas: ['ARCOM', 'OAPLA'],
  start: '2023-01-10',
  due: i % 3 ? '2023-06-30' : '2023-04-14',
  status: i % 3 ? 'active' : 'escalated',
  evidence: 1,
  lastNotice: null,
  nextNotice: null,
  running: true,
  progress: 50,
  closeTime: null,
  followUp: {
    progress: [{ percent: 50, at: '2023-04-20T09:00:00-05:00', by: 'ARCOM', note: 'Avance de la jornada con la comunidad; pendiente el acta.' }],
    evidence: [{ id: 'E1', at: '2023-04-21T09:00:00-05:00', link: `https://entidad.gov.co/evidencias/${i}.pdf` }],
    closedAt: null,
  },
}));

async function timed(f) {
  const start = process.hrtime.bigint();
  const value = await f();
  return [Number(process.hrtime.bigint() - start) / 1e6, value];
}

const plan = { id: 'plan-a', title: 'Plan', year: 2023, owner: 'OAPLA', timezone: 'America/Bogota' };
const calendar = new BusinessCalendar();
const [base, planCsv] = await timed(() => reportCsv(listed.map((w) => rowOf(w, '2023-04-30'))));
const [snapshotMs, snapshot] = await timed(() =>
  buildCutSnapshot(listed, { plan, cut: '2023-04-30', takenAt: '2023-05-01T04:59:00.000Z', source: 'cut', calendar }),
);
const [csvMs, csv] = await timed(() => renderCutCsv(snapshot));
const [xlsxMs, xlsx] = await timed(() => renderCutXlsx(snapshot));
const [pdfMs, pdf] = await timed(() => renderCutPdf(snapshot));
const ms = { baselinePlanCsv: base, snapshot: snapshotMs, csv: csvMs, xlsx: xlsxMs, pdf: pdfMs };
process.stdout.write(
  `${JSON.stringify({
    rows: n,
    ms: Object.fromEntries(Object.entries(ms).map(([k, v]) => [k, Math.round(v)])),
    ratioToBaseline: Object.fromEntries(Object.entries(ms).map(([k, v]) => [k, Number((v / base).toFixed(1))])),
    bytes: { snapshotJson: Buffer.byteLength(JSON.stringify(snapshot)), csv: csv.length, xlsx: xlsx.length, pdf: pdf.length, planCsv: planCsv.length },
  })}\n`,
);
