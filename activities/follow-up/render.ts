/**
 * The cut report as entities publish it: CSV, XLSX (the format of the "Seguimiento PAAC" sheets) and
 * a printable PDF. Spanish only: the report is a public document of a Colombian entity.
 *
 * Rendering is a function of the snapshot alone (no clock, no locale of the machine): CSV and PDF
 * come out byte-for-byte the same from the same snapshot (the PDF's dates and file ID are the
 * snapshot's `takenAt`). The XLSX's zip stores the time it was written (exceljs gives no way to set
 * it), so the kept copy (store.ts) is the one that was mailed, and a re-render has the same cells.
 */
import ExcelJS from 'exceljs';
import PDFDocument from 'pdfkit';
import { STATUS_LABELS } from '../../domain/labels';
import { csvCell } from '../../domain/spreadsheet-text';
import type { CutRow, CutSnapshot, CutStatus, CutTotals } from './types';

export const CUT_FORMATS = ['csv', 'xlsx', 'pdf'] as const;
export type CutFormat = (typeof CUT_FORMATS)[number];

export const CUT_MEDIA_TYPES: Record<CutFormat, string> = {
  csv: 'text/csv; charset=utf-8',
  xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
  pdf: 'application/pdf',
};

/** In the PDF a long note or many links would push one activity over pages: they are clipped there, the CSV and XLSX keep them whole. */
const PDF_NOTE_MAX = 300;
const PDF_EVIDENCE_MAX = 3;

export function cutStatusLabel(status: CutStatus): string {
  if (status === 'open') return 'abierta';
  if (status === 'overdue') return 'vencida sin entregar';
  return STATUS_LABELS.es[status];
}

export function cutFileName(s: Pick<CutSnapshot, 'plan' | 'cut'>, format: CutFormat): string {
  return `seguimiento-${s.plan.id}-${s.cut}.${format}`;
}

const HEADER = [
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
];
const TOTALS_HEADER = ['Área', 'Actividades', 'Entregadas', 'Con atraso', 'Con avance reportado', 'Avance promedio (%)'];

function evidenceText(row: CutRow, max = Infinity): string {
  const shown = row.evidence
    .slice(-max)
    .map((e) => `${e.ref} (${e.date}${e.decision === 'approve' ? ', aprobada' : e.decision === 'reject' ? ', rechazada' : ''})`);
  const more = row.evidence.length - shown.length;
  return [...shown, ...(more > 0 ? [`y ${more} más`] : [])].join(' | ');
}

function rowCells(r: CutRow): (string | number)[] {
  return [
    r.activity,
    r.period ?? '',
    r.title,
    r.areas.join(' '),
    r.due,
    cutStatusLabel(r.status),
    r.progress ?? '',
    r.progressDate ?? '',
    r.progressNote ?? '',
    evidenceText(r),
    r.late ? r.businessDaysLate : '',
  ];
}

function totalsCells(t: CutTotals): (string | number)[] {
  return [t.key === 'PLAN' ? 'Total del plan' : t.key, t.activities, t.delivered, t.late, t.withProgress, t.progress];
}

function titleLines(s: CutSnapshot): string[] {
  return [
    `Seguimiento del plan ${s.plan.title} (${s.plan.id})${s.plan.entity ? ` · ${s.plan.entity}` : ''}`,
    `Corte: ${s.cut} · Publicar a más tardar el ${s.deadline} (10 días hábiles después del corte, Decreto 124 de 2016)`,
    s.source === 'cut'
      ? `Datos tomados al corte: ${s.takenAt}`
      : `Reconstruido el ${s.takenAt}: no se conservó el informe tomado al corte; el estado de las actividades abiertas es aproximado.`,
  ];
}

/** Comma-separated, CRLF, UTF-8 with BOM (so Excel reads the accents), cells guarded against formulas. Activities, a blank line, then totals. */
export function renderCutCsv(s: CutSnapshot): Buffer {
  const line = (cells: (string | number)[]) => cells.map(csvCell).join(',');
  const lines = [
    ...titleLines(s).map((t) => line([t])),
    '',
    line(HEADER),
    ...s.rows.map((r) => line(rowCells(r))),
    '',
    line(TOTALS_HEADER),
    ...s.totals.map((t) => line(totalsCells(t))),
  ];
  return Buffer.from(`\ufeff${lines.join('\r\n')}\r\n`, 'utf8');
}

export async function renderCutXlsx(s: CutSnapshot): Promise<Buffer> {
  const book = new ExcelJS.Workbook();
  book.creator = 'plazos';
  book.created = new Date(s.takenAt);
  book.modified = new Date(s.takenAt);
  const sheet = book.addWorksheet('Seguimiento');
  for (const t of titleLines(s)) sheet.addRow([t]);
  sheet.addRow([]);
  const header = sheet.addRow(HEADER);
  header.font = { bold: true };
  for (const r of s.rows) sheet.addRow(rowCells(r));
  sheet.columns.forEach((c, i) => (c.width = [6, 10, 50, 14, 12, 20, 10, 14, 40, 60, 14][i] ?? 12));
  const totals = book.addWorksheet('Totales');
  for (const t of titleLines(s).slice(0, 2)) totals.addRow([t]);
  totals.addRow([]);
  totals.addRow(TOTALS_HEADER).font = { bold: true };
  for (const t of s.totals) totals.addRow(totalsCells(t));
  return Buffer.from(await book.xlsx.writeBuffer());
}

/** A4 landscape, Helvetica (its WinAnsi encoding has every Spanish letter: á é í ó ú ü ñ ¿ ¡). */
export function renderCutPdf(s: CutSnapshot): Promise<Buffer> {
  const doc = new PDFDocument({
    size: 'A4',
    layout: 'landscape',
    margin: 36,
    info: { Title: `Seguimiento ${s.plan.id} al ${s.cut}`, Author: 'plazos', Creator: 'plazos', Producer: 'plazos', CreationDate: new Date(s.takenAt) },
  });
  const chunks: Buffer[] = [];
  doc.on('data', (c: Buffer) => chunks.push(c));
  const done = new Promise<Buffer>((resolve, reject) => {
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.on('error', reject);
  });
  const width = doc.page.width - 72;
  doc
    .font('Helvetica-Bold')
    .fontSize(13)
    .text(titleLines(s)[0] ?? '', { width });
  doc.font('Helvetica').fontSize(9);
  for (const t of titleLines(s).slice(1)) doc.text(t, { width });
  doc.moveDown();
  doc.font('Helvetica-Bold').fontSize(11).text('Totales por área', { width });
  doc.font('Helvetica').fontSize(9);
  for (const t of s.totals) {
    const [name, n, delivered, late, withProgress, progress] = totalsCells(t);
    doc.text(
      `${name}: ${n} actividades · ${delivered} entregadas · ${late} con atraso · ${withProgress} con avance reportado · avance promedio ${progress} %`,
      {
        width,
      },
    );
  }
  doc.moveDown();
  doc.font('Helvetica-Bold').fontSize(11).text('Actividades', { width });
  for (const r of s.rows) {
    const note = r.progressNote && r.progressNote.length > PDF_NOTE_MAX ? `${r.progressNote.slice(0, PDF_NOTE_MAX - 1)}…` : r.progressNote;
    doc.moveDown(0.4);
    doc
      .font('Helvetica-Bold')
      .fontSize(9)
      .text(`${r.activity}${r.period ? ` (${r.period})` : ''}. ${r.title}`, { width });
    doc.font('Helvetica').fontSize(8.5);
    doc.text(
      `Áreas: ${r.areas.join(', ')} · Vence: ${r.due} · Estado al corte: ${cutStatusLabel(r.status)} · Avance: ${r.progress === null ? 'sin reporte' : `${r.progress} %${r.progressDate ? ` (${r.progressDate})` : ''}`}${r.late ? ` · Atraso: ${r.businessDaysLate} días hábiles` : ''}`,
      { width },
    );
    if (note) doc.text(`Nota: ${note}`, { width });
    if (r.evidence.length > 0) doc.text(`Evidencias: ${evidenceText(r, PDF_EVIDENCE_MAX)}`, { width });
  }
  doc.end();
  return done;
}

export async function renderCut(s: CutSnapshot, format: CutFormat): Promise<Buffer> {
  if (format === 'csv') return renderCutCsv(s);
  if (format === 'xlsx') return renderCutXlsx(s);
  return renderCutPdf(s);
}
