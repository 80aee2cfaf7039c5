/**
 * The reply mailbox against mail written to abuse it, on the real stack (Dovecot over TLS, the dev
 * server, the SMTP capture): MIME bombs, forged senders, a From with two addresses, progress out
 * of range, a reused Message-ID, and a flood of progress and evidence. What the tests read back:
 * the IMAP folders, the mail plazos sent, the workflow's status, and the reader's log lines.
 */
import pino from 'pino';
import { sha256Hex } from '../../activities/email/message-id';
import { REFUSAL_BOUNDS } from '../../mailbox/answer-bound';
import { WRITE_BOUNDS } from '../../client/write-gate';
import { mimeBomb } from './bombs';
import { gmailReply, outlookReply, pdf } from './client-shapes';
import { FOLDERS, LEADS, useRepliedPlan } from './stack';

jest.setTimeout(120_000);

const { VIVIENDA, SERVICIO, COMUNICACIONES, CONSUMIDOR, PLANEACION } = LEADS;

interface Line {
  msg: string;
  mail?: string;
  why?: string;
  outcome?: string;
  scope?: string;
  kind?: string;
}
const raw: string[] = [];
const logger = pino({ level: 'info' }, { write: (line: string) => void raw.push(line) });
const logged = (msg: string): Line[] => raw.map((l) => JSON.parse(l) as Line).filter((l) => l.msg === msg);

const replied = useRepliedPlan('plazos-mailbox-hostile', {
  logger,
  bounds: {
    // Small enough to reach in a test: two reports of progress per sender, one evidence per activity.
    write: {
      progress: { sender: { max: 2, windowMs: 3_600_000 }, activity: { max: 30, windowMs: 3_600_000 } },
      evidence: { sender: { max: 5, windowMs: 3_600_000 }, activity: { max: 1, windowMs: 3_600_000 } },
    },
  },
});
const { plan, status, kickoff, deliver } = replied;
const idOf = (text: string) => /^Message-ID: (.+)$/m.exec(text)![1]!.trim();
const sentSince = (n: number) => replied.stack.mail.messages.slice(n);
/** Puts several messages in the inbox at once, then waits for one full look at them. */
async function deliverAll(messages: string[]): Promise<void> {
  for (const m of messages) await replied.stack.imap.deliver(m);
  await replied.reader.reader.drained();
}

describe('a message that cannot be read is refused once, unread', () => {
  it('a MIME bomb (2,000 levels, 20,000 parts, 5,000 attachments) from the lead, tagged, is filed in Plazos rechazados once, answered to no one, and not read again', async () => {
    const notice = kickoff(VIVIENDA);
    const bomb = mimeBomb({ depth: 2000, parts: 20_000, attachments: 5000 }, [
      'From: Vivienda <vivienda@entidad.gov.co>',
      `To: ${notice.parsed.replyTo!.value[0]!.address!}`,
      `Subject: RE: ${notice.subject}`,
      'Message-ID: <bomba-1@evil.example>',
      `In-Reply-To: ${notice.parsed.messageId!}`,
    ]);
    const before = replied.stack.mail.messages.length;
    await deliver(bomb.toString('latin1'));
    expect(await replied.stack.imap.list(FOLDERS.refused)).toContain('<bomba-1@evil.example>');
    expect(await replied.stack.imap.list('INBOX')).toEqual([]);
    const refused = logged('reply refused unread: over a bound of its shape or not parseable');
    expect(refused).toEqual([expect.objectContaining({ why: 'depth', outcome: 'unread:depth', mail: sha256Hex('<bomba-1@evil.example>').slice(0, 16) })]);

    // The next look finds nothing to read; a copy delivered again is known by its Message-ID and filed.
    await replied.reader.reader.drained();
    await deliver(bomb.toString('latin1'));
    expect(logged('reply refused unread: over a bound of its shape or not parseable')).toHaveLength(1);
    expect(logged('reply already handled; filed again, not acted on').filter((l) => l.outcome === 'unread:depth')).toHaveLength(1);
    expect(logged('reply not handled; it stays in the inbox for the next look')).toEqual([]);
    expect((await replied.stack.imap.list(FOLDERS.refused)).filter((id) => id === '<bomba-1@evil.example>')).toHaveLength(2);
    expect(sentSince(before)).toEqual([]);
    expect((await status(1)).evidence).toEqual([]);
  });
});

describe('senders who are not the area’s', () => {
  it('five forged senders get one generic answer each, naming nothing of the plan, with OAPLA not in copy, and nothing is submitted', async () => {
    const notice = kickoff(SERVICIO);
    const victims = [1, 2, 3, 4, 5].map((n) => `victim${n}@third-party.example`);
    const before = replied.stack.mail.messages.length;
    await deliverAll(
      victims.map((v) =>
        gmailReply({
          notice,
          from: `Víctima <${v}>`,
          body: 'Adjunto el informe.',
          attachments: [{ name: 'informe.pdf', type: 'application/pdf', content: pdf('x') }],
        }),
      ),
    );
    const activity = plan.activities.find((a) => a.number === 2)!;
    for (const v of victims) {
      const answers = replied.stack.mailTo(v);
      expect(answers).toHaveLength(1);
      const a = answers[0]!;
      expect(a.subject).toBe('No se registró su mensaje');
      expect(a.cc).toEqual([]);
      for (const part of [a.subject, a.text, a.parsed.html || '']) {
        expect(part).not.toContain(plan.title);
        expect(part).not.toContain(activity.title);
        expect(part).not.toMatch(/Servicio al Afiliado|Oficina Asesora de Planeación|actividad 2|ASERA|OAPLA/);
      }
      expect(a.text).toContain('no registramos nada con este correo');
      expect(a.parsed.html).toContain('no registramos nada');
    }
    expect(sentSince(before).filter((m) => m.to.includes(PLANEACION) || m.cc.includes(PLANEACION))).toEqual([]);
    expect((await status(2)).evidence).toEqual([]);
  });

  it(`the same forged sender twenty times gets ${REFUSAL_BOUNDS.perAddress.max} answers; the rest are filed unanswered and logged`, async () => {
    const notice = kickoff(SERVICIO);
    const messages = Array.from({ length: 20 }, (_, i) => gmailReply({ notice, from: 'mallory@third-party.example', body: `Intento ${i}. Avance: 50 %` }));
    await deliverAll(messages);
    expect(replied.stack.mailTo('mallory@third-party.example')).toHaveLength(REFUSAL_BOUNDS.perAddress.max);
    const filed = await replied.stack.imap.list(FOLDERS.refused);
    expect(messages.map(idOf).filter((id) => filed.includes(id))).toHaveLength(20);
    expect(logged('refusal not mailed: bound of refusals reached').filter((l) => l.scope === 'address')).toHaveLength(20 - REFUSAL_BOUNDS.perAddress.max);
    expect((await status(2)).progress ?? []).toEqual([]);
  });

  it('a From with two addresses, the lead’s first, is filed and never acted on, and neither address is answered', async () => {
    const before = replied.stack.mail.messages.length;
    const raw1 = outlookReply({ notice: kickoff(VIVIENDA), from: 'vivienda@entidad.gov.co, mallory@evil.example', body: 'Avance: 33 %' });
    await deliver(raw1);
    expect(await replied.stack.imap.list(FOLDERS.refused)).toContain(idOf(raw1));
    expect(((await status(1)).progress ?? []).map((p) => p.percent)).not.toContain(33);
    expect(sentSince(before)).toEqual([]);
  });
});

describe('progress out of range', () => {
  it.each([
    ['999', 'Avance: 999 %'],
    ['-5', 'Avance: -5 %'],
  ])('"%s %%" is answered saying progress is a whole number between 0 and 100, in text and HTML, and nothing is recorded', async (figure, body) => {
    const before = replied.stack.mail.messages.length;
    const raw1 = outlookReply({ notice: kickoff(COMUNICACIONES), from: 'Comunicaciones <comunicaciones@entidad.gov.co>', body });
    await deliver(raw1);
    const answers = sentSince(before).filter((m) => m.to.includes(COMUNICACIONES));
    expect(answers.map((m) => m.subject)).toEqual(['No se registró el avance de la actividad 3']);
    expect(answers[0]!.text).toContain(`la respuesta dice ${figure} % y el avance debe ser un número entero entre 0 y 100`);
    expect(answers[0]!.parsed.html).toContain('debe ser un número entero entre 0 y 100');
    expect((await status(3)).progress ?? []).toEqual([]);
    expect(await replied.stack.imap.list(FOLDERS.refused)).toContain(idOf(raw1));
  });
});

describe('a Message-ID already known', () => {
  it('a new message reusing the Message-ID of one already handled is filed, not acted on, and logged with the key’s hash', async () => {
    const id = '<reusado-1@entidad.gov.co>';
    await deliver(outlookReply({ notice: kickoff(CONSUMIDOR), from: CONSUMIDOR, body: 'Avance: 10 %', messageId: id }));
    await deliver(outlookReply({ notice: kickoff(CONSUMIDOR), from: CONSUMIDOR, body: 'Avance: 90 %', messageId: id }));
    expect(((await status(4)).progress ?? []).map((p) => p.percent)).toEqual([10]);
    const lines = logged('reply already handled; filed again, not acted on').filter((l) => l.mail === sha256Hex(id).slice(0, 16));
    expect(lines).toEqual([expect.objectContaining({ outcome: 'progress:10' })]);
  });
});

describe('progress and evidence by mail are bounded', () => {
  it('past its bound of progress, the lead is told once when to try again, the reply is filed and never read again', async () => {
    const before = replied.stack.mail.messages.length;
    for (const percent of [20, 30, 40]) await deliver(outlookReply({ notice: kickoff(VIVIENDA), from: VIVIENDA, body: `Avance: ${percent} %` }));
    expect(((await status(1)).progress ?? []).map((p) => p.percent)).toEqual([20, 30]);
    await replied.reader.reader.drained();
    const answers = sentSince(before).filter((m) => m.to.includes(VIVIENDA));
    expect(answers.map((m) => m.headers.get('x-plazos-notice'))).toEqual(['reply-progress-received', 'reply-progress-received', 'reply-not-received']);
    expect(answers[2]!.text).toMatch(/demasiados reportes de avance desde este remitente en la última hora\. Intente de nuevo después de las \d\d:\d\d/);
    expect(logged('write refused by the write gate')).toEqual([expect.objectContaining({ kind: 'progress', scope: 'sender' })]);
    expect(await replied.stack.imap.list('INBOX')).toEqual([]);
    expect(WRITE_BOUNDS.progress.sender.max).toBeGreaterThan(2);
  });

  it('past the activity’s bound of evidence, a submission is not handed to the workflow, and the lead is told so', async () => {
    const before = replied.stack.mail.messages.length;
    const link = replied.stack.evidence.url('informe-divulgacion');
    await deliver(gmailReply({ notice: kickoff(SERVICIO), from: SERVICIO, body: `El informe: ${link}` }));
    await deliver(gmailReply({ notice: kickoff(SERVICIO), from: SERVICIO, body: `Otra versión: ${link}?v=2` }));
    expect((await status(2)).evidence).toHaveLength(1);
    const answers = sentSince(before).filter((m) => m.to.includes(SERVICIO) && m.headers.get('x-plazos-notice') === 'reply-not-received');
    expect(answers).toHaveLength(1);
    expect(answers[0]!.text).toContain('demasiadas evidencias para esta actividad');
  });
});

afterAll(() => {
  // Logs carry hashes and codes, never an address.
  expect(raw.join('\n')).not.toMatch(/third-party\.example|evil\.example|entidad\.gov\.co/);
});
