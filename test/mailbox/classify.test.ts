/**
 * What the reader decides for one reply, before anything is submitted or answered: a real reply
 * registry in a temp dir, messages parsed by mailparser as the reader parses them.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { simpleParser } from 'mailparser';
import { createReplyRegistry } from '../../activities/email/reply-registry';
import { testRecords } from '../helpers/records';
import { replyAddress, replyKey } from '../../activities/email/reply-token';
import { classify, type ClassifyContext } from '../../mailbox/classify';
import { seedAreas } from '../helpers/seed';
import { LOGO, pdf } from './client-shapes';
import { buildZip } from '../helpers/zip';

const NOTICE_ID = 'a'.repeat(32);
const MAILBOX = 'respuestas@entidad.gov.co';
let dir: string;
let ctx: ClassifyContext;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'plazos-classify-'));
  const registry = createReplyRegistry(testRecords(dir).replies);
  await registry.remember({
    noticeId: NOTICE_ID,
    kind: 'reminder',
    workflowId: 'participacion-ciudadana-2023/13',
    area: 'ARVIV',
    owner: 'OAPLA',
    locale: 'es',
    plan: { id: 'participacion-ciudadana-2023', title: 'Plan de Participación Ciudadana 2023' },
    activity: { number: 13, title: 'Desarrollar ferias inmobiliarias' },
    period: null,
  });
  ctx = { mailbox: MAILBOX, key: replyKey(Buffer.alloc(32, 5)), domain: 'entidad.gov.co', registry, areas: seedAreas(), maxBytes: 1024 * 1024 };
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function message(body: string, files: { name: string; type: string; content: Buffer; inline?: boolean }[] = [], extra: string[] = []): string {
  const b = 'b1';
  const head = [
    'From: Vivienda <vivienda@entidad.gov.co>',
    `To: ${replyAddress(MAILBOX, NOTICE_ID, ctx.key)}`,
    'Subject: RE: Recordatorio',
    'Message-ID: <r1@entidad.gov.co>',
    'MIME-Version: 1.0',
    ...extra,
    `Content-Type: multipart/mixed; boundary="${b}"`,
    '',
    `--${b}`,
    'Content-Type: text/plain; charset=utf-8',
    '',
    body,
  ];
  const parts = files.map((f) =>
    [
      `--${b}`,
      `Content-Type: ${f.type}; name="${f.name}"`,
      `Content-Disposition: ${f.inline ? 'inline' : 'attachment'}; filename="${f.name}"`,
      ...(f.inline ? ['Content-ID: <logo@x>'] : []),
      'Content-Transfer-Encoding: base64',
      '',
      f.content.toString('base64'),
    ].join('\r\n'),
  );
  return [...head, ...parts, `--${b}--`, ''].join('\r\n');
}

async function decide(raw: string) {
  const bytes = Buffer.from(raw);
  return classify(await simpleParser(bytes), bytes, ctx);
}

describe('what a reply hands in', () => {
  it('"Avance: 60 %" with no file or link is a progress report for the area, with the Message-ID as its source', async () => {
    const d = await decide(message('Vamos en la mitad del trabajo.\nAvance: 60 %'));
    expect(d).toMatchObject({ kind: 'progress', report: { percent: 60, reportedBy: 'ARVIV', via: 'email', sourceId: '<r1@entidad.gov.co>' } });
  });

  it("a long note is cut to the workflow's 2,000 characters without splitting an emoji, and the progress still counts", async () => {
    const d = await decide(message(`Avance: 20 %\n${'a'.repeat(1985)}👍👍 y más texto`));
    expect(d.kind).toBe('progress');
    if (d.kind !== 'progress') return;
    expect(d.report.note).toHaveLength(1999);
    expect(d.report.note!.endsWith('a…')).toBe(true);
  });

  it('a file with "Avance: 100 %" hands the file in and carries the progress along', async () => {
    const d = await decide(message('Informe final. Avance: 100 %', [{ name: 'informe.pdf', type: 'application/pdf', content: pdf('x') }]));
    expect(d.kind).toBe('evidence');
    if (d.kind !== 'evidence') return;
    expect(d.submission).toMatchObject({ evidence: { kind: 'file', name: 'informe.pdf', mediaType: 'application/pdf' }, progress: 100, submittedBy: 'ARVIV' });
  });

  it('two attachments (the logo inline does not count) are refused: one file per submission', async () => {
    const d = await decide(
      message('Van dos.', [
        { name: 'a.pdf', type: 'application/pdf', content: pdf('a') },
        { name: 'b.pdf', type: 'application/pdf', content: pdf('b') },
        { name: 'logo.png', type: 'image/png', content: LOGO, inline: true },
      ]),
    );
    expect(d).toMatchObject({ kind: 'not-received', reason: 'several-files' });
  });

  it('an .exe renamed .pdf is refused with the same words as on the web, before anything is stored', async () => {
    const d = await decide(message('Adjunto.', [{ name: 'informe.pdf', type: 'application/pdf', content: Buffer.from('MZ\x90\x00 not a pdf') }]));
    expect(d).toMatchObject({ kind: 'not-received', reason: 'file-refused' });
    if (d.kind === 'not-received') expect(d.detail?.es).toContain('el contenido no es un');
  });

  it('a .zip holding a program is refused naming the entry, with the same words as on the web', async () => {
    const zip = buildZip([
      { name: 'acta.pdf', data: pdf('acta') },
      { name: 'soportes/instalar.exe', data: Buffer.from('MZ\x90\x00') },
    ]);
    const d = await decide(message('Adjunto.', [{ name: 'soportes.zip', type: 'application/zip', content: zip }]));
    expect(d).toMatchObject({ kind: 'not-received', reason: 'file-refused' });
    if (d.kind === 'not-received') expect(d.detail?.es).toContain('"soportes.zip" contiene "soportes/instalar.exe", un programa');
  });

  it('a file over the upload limit is refused naming the limit', async () => {
    const d = await decide(
      message('Adjunto.', [{ name: 'grande.pdf', type: 'application/pdf', content: Buffer.concat([pdf('g'), Buffer.alloc(1024 * 1024)]) }]),
    );
    expect(d).toMatchObject({ kind: 'not-received', reason: 'file-refused' });
  });

  it('an out-of-office answer is ignored, whatever it carries', async () => {
    expect(await decide(message('Fuera de la oficina. https://x.gov.co', [], ['Auto-Submitted: auto-replied']))).toEqual({ kind: 'ignore', why: 'auto-reply' });
  });

  it('a reply from an address of another area is refused, even with a valid tag', async () => {
    const d = await decide(message('Adjunto.', []).replace('vivienda@entidad.gov.co', 'comunicaciones@entidad.gov.co'));
    expect(d).toMatchObject({ kind: 'refuse-sender', sender: 'comunicaciones@entidad.gov.co' });
  });
});

describe('who a reply is from', () => {
  it.each([
    ['the lead first, another after', 'From: vivienda@entidad.gov.co, mallory@evil.example'],
    ['another first, the lead after', 'From: mallory@evil.example, Vivienda <vivienda@entidad.gov.co>'],
    ['a group of two', 'From: Equipo: vivienda@entidad.gov.co, mallory@evil.example;'],
  ])('a From with two addresses (%s) names no one: ignored, never acted on', async (_why, from) => {
    const d = await decide(message('Avance: 40 %').replace('From: Vivienda <vivienda@entidad.gov.co>', from));
    expect(d).toEqual({ kind: 'ignore', why: 'several-senders' });
  });

  it('two From lines are ignored too', async () => {
    const d = await decide(
      message('Avance: 40 %').replace('From: Vivienda <vivienda@entidad.gov.co>', 'From: vivienda@entidad.gov.co\r\nFrom: mallory@evil.example'),
    );
    expect(d).toEqual({ kind: 'ignore', why: 'several-senders' });
  });
});

describe('a progress figure the workflow cannot take', () => {
  it('any whole figure is progress from 0 to 100 and refused as out of range outside it, with the figure as written', async () => {
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: -1000, max: 100_000 }), async (n) => {
        const d = await decide(message(`Vamos bien.\nAvance: ${n} %`));
        if (n >= 0 && n <= 100) expect(d).toMatchObject({ kind: 'progress', report: { percent: n } });
        else expect(d).toMatchObject({ kind: 'progress-refused', written: String(n) });
      }),
      { numRuns: 60 },
    );
  });

  it.each([
    ['Avance: 999 %', '999'],
    ['Avance: -5 %', '-5'],
    ['Avance -5 %', '-5'],
    ['avance del 60,5 %', '60,5'],
  ])('%j is refused as written (%s), not read as another figure, even with a file', async (text, written) => {
    const d = await decide(message(text, [{ name: 'informe.pdf', type: 'application/pdf', content: pdf('x') }]));
    expect(d).toMatchObject({ kind: 'progress-refused', written });
  });

  it('"Avance - 60 %" is still 60 %: a dash with a space after it separates', async () => {
    expect(await decide(message('Avance - 60 %'))).toMatchObject({ kind: 'progress', report: { percent: 60 } });
  });
});
