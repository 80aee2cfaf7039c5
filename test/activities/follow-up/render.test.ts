/**
 * The cut report from listed rows to files, without a server: what each row says at the cut, the
 * totals, and the three files read back (CSV with csv-parse, XLSX with exceljs, the PDF's text).
 */
import { inflateSync } from 'node:zlib';
import { parse } from 'csv-parse/sync';
import ExcelJS from 'exceljs';
import { buildCutSnapshot, renderCutCsv, renderCutPdf, renderCutXlsx, type CutPlanRef } from '../../../activities/follow-up';
import { BusinessCalendar } from '../../../calendar/business-calendar';
import type { ListedWorkflow } from '../../../domain/listed-workflow';

const calendar = new BusinessCalendar();
const plan: CutPlanRef = { id: 'plan-a', title: 'Plan Anticorrupción y de Atención al Ciudadano', year: 2023, owner: 'OAPLA', timezone: 'America/Bogota' };

function listed(activity: number, over: Partial<ListedWorkflow> = {}): ListedWorkflow {
  return {
    workflowId: `plan-a/${activity}`,
    planId: 'plan-a',
    activity,
    period: null,
    title: `Actividad ${activity}`,
    areas: ['ARCOM'],
    start: '2023-01-10',
    due: '2023-06-30',
    status: 'active',
    evidence: 0,
    lastNotice: null,
    nextNotice: null,
    running: true,
    progress: null,
    followUp: null,
    closeTime: null,
    ...over,
  };
}

const rows = [
  // Under way, two reports: the one after the cut is not the cut's.
  listed(1, {
    title: 'Socializar la política de participación ciudadana',
    progress: 80,
    followUp: {
      progress: [
        { percent: 40, at: '2023-04-20T09:00:00-05:00', by: 'ARCOM', note: 'Primera jornada; "diseño" = listo' },
        { percent: 80, at: '2023-05-03T09:00:00-05:00', by: 'ARCOM' },
      ],
      evidence: [],
      closedAt: null,
    },
  }),
  // Fell due on 14 April and nothing came: late at the cut.
  listed(2, { due: '2023-04-14', status: 'escalated', areas: ['ASERA', 'ARCOM'], title: '=HYPERLINK("http://x")' }),
  // Delivered and approved on time, with its link.
  listed(3, {
    due: '2023-03-31',
    status: 'on-time',
    running: false,
    areas: ['OAPLA'],
    followUp: {
      progress: [{ percent: 100, at: '2023-03-30T10:00:00-05:00', by: 'OAPLA' }],
      evidence: [{ id: 'E1', at: '2023-03-30T10:00:00-05:00', link: 'https://entidad.gov.co/informe.pdf', decision: 'approve' }],
      closedAt: '2023-03-31T08:00:00-05:00',
    },
  }),
];

const snapshot = buildCutSnapshot(rows, { plan, cut: '2023-04-30', takenAt: '2023-05-01T04:59:00.000Z', source: 'cut', calendar });

describe('the rows of a cut', () => {
  it('says the last progress reported on or before the cut, with its date and note', () => {
    expect(snapshot.rows[0]).toMatchObject({ progress: 40, progressDate: '2023-04-20', progressNote: 'Primera jornada; "diseño" = listo', late: false });
  });

  it('counts the business days an activity is late at the cut (Labour Day is not one)', () => {
    // 14 April 2023 (Fri) to 30 April (Sun): 17, 18, 19, 20, 21, 24, 25, 26, 27, 28 April.
    expect(snapshot.rows[1]).toMatchObject({ status: 'escalated', late: true, businessDaysLate: 10, progress: null });
  });

  it('publishes by the tenth business day after the cut', () => {
    expect(snapshot.deadline).toBe('2023-05-15');
  });

  it('totals per area and for the plan: delivered counts 100 %, no report 0 %, each activity once in the plan', () => {
    const byKey = Object.fromEntries(snapshot.totals.map((t) => [t.key, t]));
    expect(byKey.ARCOM).toEqual({ key: 'ARCOM', activities: 2, delivered: 0, late: 1, withProgress: 1, progress: 20 });
    expect(byKey.OAPLA).toEqual({ key: 'OAPLA', activities: 1, delivered: 1, late: 0, withProgress: 1, progress: 100 });
    expect(byKey.PLAN).toEqual({ key: 'PLAN', activities: 3, delivered: 1, late: 1, withProgress: 2, progress: 46.7 });
    expect(snapshot.totals.map((t) => t.key)).toEqual(['ARCOM', 'ASERA', 'OAPLA', 'PLAN']);
  });

  it('rebuilt later, an open activity says only whether it had fallen due, and a closing after the cut does not count', () => {
    const late = buildCutSnapshot(
      [listed(3, { status: 'late', due: '2023-04-14', running: false, followUp: { progress: [], evidence: [], closedAt: '2023-06-01T08:00:00-05:00' } })],
      {
        plan,
        cut: '2023-04-30',
        takenAt: '2023-07-01T00:00:00.000Z',
        source: 'reconstructed',
        calendar,
      },
    );
    expect(late.rows[0]).toMatchObject({ status: 'overdue', late: true, businessDaysLate: 10 });
  });
});

describe('the files of a cut', () => {
  it('CSV: UTF-8 with BOM, the title lines, one row per activity, totals; a formula is defused', () => {
    const csv = renderCutCsv(snapshot);
    expect(csv.subarray(0, 3)).toEqual(Buffer.from([0xef, 0xbb, 0xbf]));
    const records: string[][] = parse(csv.toString('utf8').slice(1), { relax_column_count: true });
    expect(records[0]?.[0]).toContain('Plan Anticorrupción y de Atención al Ciudadano');
    expect(records[1]?.[0]).toContain('Publicar a más tardar el 2023-05-15');
    const header = records.findIndex((r) => r[0] === 'N.º');
    expect(records[header]).toContain('Avance (%)');
    expect(records[header + 1]).toEqual([
      '1',
      '',
      'Socializar la política de participación ciudadana',
      'ARCOM',
      '2023-06-30',
      'en curso',
      '40',
      '2023-04-20',
      'Primera jornada; "diseño" = listo',
      '',
      '',
    ]);
    expect(records[header + 2]?.[2]).toBe(`'=HYPERLINK("http://x")`);
    expect(records[header + 3]?.[9]).toBe('https://entidad.gov.co/informe.pdf (2023-03-30, aprobada)');
    expect(records[records.length - 1]).toEqual(['Total del plan', '3', '1', '1', '2', '46.7']);
  });

  it('CSV and PDF come out byte-for-byte the same from the same snapshot', async () => {
    expect(renderCutCsv(snapshot).equals(renderCutCsv(snapshot))).toBe(true);
    expect((await renderCutPdf(snapshot)).equals(await renderCutPdf(snapshot))).toBe(true);
  });

  it('XLSX: a sheet of activities and one of totals, read back with exceljs', async () => {
    const book = new ExcelJS.Workbook();
    await book.xlsx.load((await renderCutXlsx(snapshot)) as unknown as Parameters<typeof book.xlsx.load>[0]);
    const sheet = book.getWorksheet('Seguimiento');
    const values = (n: number) => (sheet?.getRow(n).values as unknown[]).slice(1);
    expect(values(1)[0]).toContain('Plan Anticorrupción');
    expect(values(5)).toEqual([
      'N.º',
      'Periodo',
      'Actividad',
      'Áreas',
      'Vence',
      'Estado al corte',
      'Avance (%)',
      'Fecha del avance',
      'Nota del avance',
      'Evidencias',
      'Atraso al corte (días hábiles)',
    ]);
    expect(values(6).slice(0, 7)).toEqual([1, '', 'Socializar la política de participación ciudadana', 'ARCOM', '2023-06-30', 'en curso', 40]);
    expect(values(7)[10]).toBe(10);
    const totals = book.getWorksheet('Totales');
    expect((totals?.getRow(totals.rowCount).values as unknown[]).slice(1)).toEqual(['Total del plan', 3, 1, 1, 2, 46.7]);
  });

  it('PDF: the Spanish text, accents included, is in the page', async () => {
    const text = pdfText(await renderCutPdf(snapshot));
    expect(text).toContain('Seguimiento del plan Plan Anticorrupción y de Atención al Ciudadano');
    expect(text).toContain('Socializar la política de participación ciudadana');
    expect(text).toContain('Atraso: 10 días hábiles');
    expect(text).toContain('avance promedio 46.7 %');
  });
});

/**
 * The text of a pdfkit PDF: its content streams inflated, the hex strings of Tj/TJ decoded as
 * WinAnsi (the standard fonts' encoding, latin1 for Spanish letters). Enough for pdfkit's own output.
 */
function pdfText(pdf: Buffer): string {
  const out: string[] = [];
  const raw = pdf.toString('latin1');
  for (const m of raw.matchAll(/stream\r?\n/g)) {
    const start = (m.index ?? 0) + m[0].length;
    const end = raw.indexOf('endstream', start);
    let body: string;
    try {
      body = inflateSync(pdf.subarray(start, end)).toString('latin1');
    } catch {
      continue;
    }
    for (const block of body.matchAll(/\[(.*?)\]\s*TJ|<([0-9a-fA-F]+)>\s*Tj/g)) {
      const hexes = block[1] !== undefined ? [...block[1].matchAll(/<([0-9a-fA-F]+)>/g)].map((h) => h[1] ?? '') : [block[2] ?? ''];
      out.push(hexes.map((h) => Buffer.from(h, 'hex').toString('latin1')).join(''));
    }
    out.push('\n');
  }
  return out.join('').replace(/\n+/g, ' ');
}
