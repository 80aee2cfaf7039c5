/**
 * Progress by reply, end to end: area leads answer the real notices plazos sent with "Avance: N %",
 * alone or with the deliverable, the replies land in Dovecot over TLS, and the production mailbox
 * reader hands them to the real activity workflows on the dev server. What the tests read back is
 * what people see: the workflow's status, the listing attribute PlazosProgress (visibility), the
 * mail plazos sent the lead, the IMAP folders.
 */
import pino from 'pino';
import type { CapturedMail } from '../../simulation/mail-capture';
import { eventually } from '../helpers/processes';
import { gmailReply, outlookReply } from './client-shapes';
import { FOLDERS, LEADS, useRepliedPlan } from './stack';

jest.setTimeout(90_000);

const { VIVIENDA, SERVICIO, COMUNICACIONES, CONSUMIDOR } = LEADS;

const replied = useRepliedPlan('plazos-mailbox-progress');
const { plan, status, kickoff, deliver } = replied;
const idOf = (raw: string) => /^Message-ID: (.+)$/m.exec(raw)![1]!.trim();
/** How many workflows of activity n the listing (visibility, as `plazos list` and the web read it) shows at this percent. */
const listedAt = async (n: number, percent: number) =>
  (await replied.stack.env.client.workflow.count(`WorkflowId = "${plan.id}/${n}" AND PlazosProgress = ${percent}`)).count;
const noticesTo = (address: string) => replied.stack.mailTo(address).map((m) => m.headers.get('x-plazos-notice'));
/** The notice answered, with an earlier message of the lead in the thread, as the client quotes it. */
const afterEarlierReply = (notice: CapturedMail, earlier: string): CapturedMail => ({
  ...notice,
  text: `${earlier}\n\nEl lun, 4 dic 2023 a las 8:00, Plazos escribió:\n${notice.text}`,
});

describe('progress by reply', () => {
  it('Outlook: "Avance: 45 %" alone is the progress of the activity by its area, via e-mail, listed at 45, receipted, recorded once when read twice', async () => {
    const raw = outlookReply({
      notice: kickoff(VIVIENDA),
      from: 'Área de Vivienda <vivienda@entidad.gov.co>',
      body: 'Buenos días. Avance: 45 %. Las ferias de junio ya se hicieron.',
    });
    await deliver(raw);
    const s = await eventually(
      () => status(1),
      (v) => (v.progress ?? []).length === 1,
      'activity 1 with one report of progress',
    );
    expect(s.progress).toEqual([
      {
        percent: 45,
        // What the lead wrote, not Outlook's signature block and quoted notice below it.
        note: expect.stringContaining('Las ferias de junio ya se hicieron.'),
        reportedBy: 'ARVIV',
        via: 'email',
        at: expect.any(String),
        sourceId: idOf(raw),
      },
    ]);
    expect(s.progress![0]!.note).not.toContain('De: Plazos');
    // Progress is not a submission: the activity still waits for its deliverable.
    expect(s.evidence).toEqual([]);
    expect(s.status).toBe('active');
    await eventually(
      () => listedAt(1, 45),
      (c) => c === 1,
      'activity 1 listed at 45 %',
    );
    const receipt = await eventually(
      () => Promise.resolve(replied.stack.mailTo(VIVIENDA).find((m) => m.headers.get('x-plazos-notice') === 'reply-progress-received')),
      (m) => m !== undefined,
      'the receipt of the progress to ARVIV',
    );
    expect(receipt!.subject).toBe('Se registró el avance de la actividad 1: 45 %');
    expect(receipt!.text).toContain('registramos un avance de 45 %');
    expect(receipt!.parsed.inReplyTo).toBe(idOf(raw));
    expect(receipt!.headers.get('auto-submitted')).toBe('auto-replied');

    // The MTA delivers the same message again: filed again, recorded and receipted once.
    await deliver(raw);
    expect((await status(1)).progress).toHaveLength(1);
    expect(noticesTo(VIVIENDA).filter((k) => k === 'reply-progress-received')).toHaveLength(1);
    expect((await replied.stack.imap.list(FOLDERS.processed)).filter((id) => id === idOf(raw))).toHaveLength(2);
    expect(await replied.stack.imap.list('INBOX')).toEqual([]);
  });

  it('Gmail: a link with "Avance: 60 %" hands the link in and records 60 % with that evidence, listed at 60, with the evidence receipt, once when read twice', async () => {
    const link = replied.stack.evidence.url('divulgacion-tramites');
    const raw = gmailReply({
      notice: kickoff(SERVICIO),
      from: 'Servicio al Afiliado <servicio.afiliado@entidad.gov.co>',
      body: `Hola, el informe de divulgación está en ${link}\nAvance: 60 %`,
    });
    await deliver(raw);
    const s = await eventually(
      () => status(2),
      (v) => v.evidence.length === 1 && (v.progress ?? []).length === 1 && v.status === 'in-review',
      'activity 2 in review with one evidence and its progress',
    );
    expect(s.evidence[0]!.evidence).toEqual({ kind: 'url', url: link });
    expect(s.progress).toEqual([
      {
        percent: 60,
        note: expect.stringContaining('el informe de divulgación está en'),
        reportedBy: 'ASERA',
        // Progress sent with a deliverable is recorded with it (workflows/period-messages.ts onSubmitEvidence).
        via: 'evidence',
        at: expect.any(String),
        evidenceId: s.evidence[0]!.id,
      },
    ]);
    expect(s.progress![0]!.note).not.toContain('escribió');
    await eventually(
      () => listedAt(2, 60),
      (c) => c === 1,
      'activity 2 listed at 60 %',
    );
    await eventually(
      () => Promise.resolve(noticesTo(SERVICIO)),
      (kinds) => kinds.includes('evidence-received'),
      'the evidence receipt to ASERA',
    );
    // The workflow's receipt is the one the lead gets: the reader adds no answer of its own.
    expect(noticesTo(SERVICIO).filter((k) => typeof k === 'string' && k.startsWith('reply-'))).toEqual([]);

    await deliver(raw);
    const again = await status(2);
    expect(again.evidence).toHaveLength(1);
    expect(again.progress).toHaveLength(1);
    expect(noticesTo(SERVICIO).filter((k) => k === 'evidence-received')).toHaveLength(1);
  });
});

describe("only the lead's own text counts", () => {
  it('Gmail: an earlier "Avance: 30 %" in the quoted thread is not progress; the reply is answered with what to send', async () => {
    const notice = afterEarlierReply(kickoff(COMUNICACIONES), 'Avance: 30 %\nSeguimos con la revisión del sitio.');
    const before = replied.stack.mail.messages.length;
    const raw = gmailReply({
      notice,
      from: 'Comunicaciones <comunicaciones@entidad.gov.co>',
      body: 'Seguimos trabajando; la próxima semana enviamos el informe.',
    });
    await deliver(raw);
    const answers = await eventually(
      () => Promise.resolve(replied.stack.mail.messages.slice(before).filter((m) => m.to.includes(COMUNICACIONES))),
      (a) => a.length >= 1,
      'the answer to ARCOM',
    );
    expect(answers.map((m) => m.subject)).toEqual(['No se recibió la evidencia de la actividad 3']);
    expect((await status(3)).progress ?? []).toEqual([]);
    expect(await listedAt(3, 30)).toBe(0);
    expect(await replied.stack.imap.list(FOLDERS.refused)).toContain(idOf(raw));
  });

  it('Outlook: the lead\'s "Avance: 70 %" counts, not the "Avance: 30 %" of the history below Outlook\'s header block', async () => {
    const notice = kickoff(CONSUMIDOR);
    const raw = outlookReply({
      notice: { ...notice, text: `Avance: 30 %\n\n________________________________\nDe: Plazos\nEnviado: lunes\n\n${notice.text}` },
      from: 'Consumidor Financiero <consumidor.financiero@entidad.gov.co>',
      body: 'Avance: 70 %',
    });
    await deliver(raw);
    const s = await eventually(
      () => status(4),
      (v) => (v.progress ?? []).length === 1,
      'activity 4 with one report of progress',
    );
    expect(s.progress!.map((p) => [p.percent, p.via, p.reportedBy])).toEqual([[70, 'email', 'ARACF']]);
    expect(s.progress![0]!.note).not.toContain('30 %');
    await eventually(
      () => listedAt(4, 70),
      (c) => c === 1,
      'activity 4 listed at 70 %',
    );
  });
});

it("TLS is verified: a reader that does not trust the server's certificate logs in nowhere, leaves the mail in the inbox and logs no password", async () => {
  await replied.reader.close();
  const lines: string[] = [];
  const logger = pino({ level: 'info' }, { write: (line: string) => void lines.push(line) });
  const untrusting = replied.stack.startReader(undefined, { env: { PLAZOS_IMAP_CA_FILE: undefined }, logger });
  await replied.stack.imap.deliver(
    'From: vivienda@entidad.gov.co\r\nTo: respuestas@entidad.gov.co\r\nSubject: x\r\nMessage-ID: <tls-1@entidad.gov.co>\r\n\r\nAvance: 10 %\r\n',
  );
  const warned = () => lines.map((l) => JSON.parse(l) as { msg: string; code?: string }).filter((l) => l.msg === 'reply mailbox: will retry');
  await eventually(
    () => Promise.resolve(warned()),
    (w) => w.length >= 2,
    'the reader refused the certificate twice',
  );
  await untrusting.close();
  expect(warned()[0]!.code).toMatch(/CERT|SELF_SIGNED|UNABLE_TO_VERIFY/);
  expect(await replied.stack.imap.list('INBOX')).toContain('<tls-1@entidad.gov.co>');
  expect(lines.join('')).not.toContain(replied.stack.imap.password);
});
