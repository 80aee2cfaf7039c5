/**
 * Evidence by reply: area leads answer the real notices plazos sent (captured by the test SMTP
 * server) from Outlook, Gmail and Thunderbird, the replies land in a real IMAP mailbox (Dovecot over
 * TLS on loopback), and the production mailbox reader hands them to the real workflows on the dev
 * server. What the tests read back: the workflow's status, the mail plazos sent, the IMAP folders.
 */
import { reviewUpdate } from '../../workflows/shared';
import { eventually } from '../helpers/processes';
import { gmailForward, gmailReply, LOGO, outlookReply, pdf, thunderbirdReply } from './client-shapes';
import { FOLDERS, LEADS, useRepliedPlan } from './stack';

jest.setTimeout(90_000);

const { VIVIENDA, SERVICIO, COMUNICACIONES, CONSUMIDOR, PLANEACION } = LEADS;

const replied = useRepliedPlan('plazos-mailbox-test');
const { plan, calendar, status, kickoff, deliver } = replied;
const idOf = (raw: string) => /^Message-ID: (.+)$/m.exec(raw)![1]!.trim();

describe('notices that may be answered', () => {
  it('a kickoff carries a Reply-To on the reply mailbox with a signed tag, and no address or name of anyone in it', () => {
    const replyTo = kickoff(VIVIENDA).parsed.replyTo?.value[0]?.address ?? '';
    expect(replyTo).toMatch(/^respuestas\+[0-9a-f]{48}@entidad\.gov\.co$/);
    expect(replyTo.length - '@entidad.gov.co'.length).toBeLessThanOrEqual(64);
  });
});

describe('evidence by reply', () => {
  it('Outlook: a top-posted reply with the report attached and a logo in the signature hands in the PDF, and the lead gets the receipt', async () => {
    const raw = outlookReply({
      notice: kickoff(VIVIENDA),
      from: 'Área de Vivienda <vivienda@entidad.gov.co>',
      body: 'Buenos días,\nAdjunto el informe de ferias inmobiliarias.',
      attachments: [{ name: 'Informe ferias.pdf', type: 'application/pdf', content: pdf('ferias') }],
    });
    await deliver(raw);
    const s = await eventually(
      () => status(1),
      (v) => v.evidence.length === 1 && v.status === 'in-review',
      'activity 1 in review with one evidence',
    );
    expect(s.evidence[0]!.evidence).toMatchObject({ kind: 'file', name: 'Informe ferias.pdf', mediaType: 'application/pdf' });
    expect(s.evidence[0]!.submittedBy).toBe('ARVIV');
    // The note is what the lead wrote, without the signature block's quoted notice.
    expect(s.evidence[0]!.note).toContain('Adjunto el informe de ferias inmobiliarias.');
    expect(s.evidence[0]!.note).not.toContain('De: Plazos');
    await eventually(
      () => Promise.resolve(replied.stack.mailTo(VIVIENDA).map((m) => m.headers.get('x-plazos-notice'))),
      (kinds) => kinds.includes('evidence-received'),
      'the receipt to ARVIV',
    );
    expect(await replied.stack.imap.list(FOLDERS.processed)).toContain(idOf(raw));
    expect(await replied.stack.imap.list('INBOX')).toEqual([]);
  });

  it("Thunderbird: a bottom-posted reply to the rejection, with a link, hands in the link (the quoted notice's own links are ignored)", async () => {
    const handle = replied.stack.env.client.workflow.getHandle(`${plan.id}/1`);
    const newDue = calendar.addBusinessDays((await status(1)).due, 5);
    await handle.executeUpdate(reviewUpdate, { args: [{ decision: 'reject', reason: 'Falta la firma del jefe del área.', newDue }] });
    const rejection = await eventually(
      () => Promise.resolve(replied.stack.mailTo(VIVIENDA).find((m) => m.headers.get('x-plazos-notice') === 'rejected')),
      (m) => m !== undefined,
      'the rejection to ARVIV',
    );
    const link = replied.stack.evidence.url('informe-ferias-firmado');
    await deliver(
      thunderbirdReply({
        notice: rejection!,
        from: 'Vivienda <vivienda@entidad.gov.co>',
        body: `Corregido. El informe firmado quedó publicado en ${link}\nGracias.`,
      }),
    );
    const s = await eventually(
      () => status(1),
      (v) => v.evidence.length === 2 && v.status === 'in-review',
      'the second evidence in review',
    );
    expect(s.evidence[1]!.evidence).toEqual({ kind: 'url', url: link });
  });

  it("a sender who is not one of the area's addresses gets a polite refusal that names nothing of the plan, and nothing is submitted", async () => {
    const notice = kickoff(SERVICIO);
    const raw = gmailReply({
      notice,
      from: 'Juan Gómez <juan.gomez.personal@gmail.com>',
      body: 'Les envío el informe.',
      attachments: [{ name: 'informe.pdf', type: 'application/pdf', content: pdf('divulgacion') }],
    });
    await deliver(raw);
    const refusal = await eventually(
      () => Promise.resolve(replied.stack.mail.messages.find((m) => m.to.includes('juan.gomez.personal@gmail.com'))),
      (m) => m !== undefined,
      'the refusal to the stranger',
    );
    expect(refusal!.subject).toBe('No se registró su mensaje');
    // The address may be anyone's: no plan, activity or area in the answer, and OAPLA not in copy.
    expect(refusal!.cc).not.toContain(PLANEACION);
    expect(refusal!.text).toContain('La dirección desde la que escribió no lo está para el aviso que respondió');
    expect(refusal!.text).not.toContain('Servicio al Afiliado');
    expect(refusal!.parsed.inReplyTo).toBe(idOf(raw));
    expect(refusal!.headers.get('auto-submitted')).toBe('auto-replied');
    expect((await status(2)).evidence).toEqual([]);
    expect(await replied.stack.imap.list(FOLDERS.refused)).toContain(idOf(raw));
  });

  it('Gmail: a reply with a "-- " signature and an inline image hands in the one real attachment; the same message read twice submits once', async () => {
    const raw = gmailReply({
      notice: kickoff(SERVICIO),
      from: 'Servicio al Afiliado <servicio.afiliado@entidad.gov.co>',
      body: 'Hola, adjunto la foto de la cartelera con los trámites.\nAvance: 80 %',
      attachments: [{ name: 'cartelera.png', type: 'image/png', content: LOGO }],
    });
    await deliver(raw);
    await eventually(
      () => status(2),
      (v) => v.evidence.length === 1,
      'activity 2 with one evidence',
    );
    // Delivered again (a copy the MTA delivered twice): recognised by its Message-ID, filed, not submitted.
    await deliver(raw);
    const s = await status(2);
    expect(s.evidence).toHaveLength(1);
    expect(s.evidence[0]!.evidence).toMatchObject({ kind: 'file', name: 'cartelera.png', mediaType: 'image/png' });
    expect((await replied.stack.imap.list(FOLDERS.processed)).filter((id) => id === idOf(raw))).toHaveLength(2);
    expect(await replied.stack.imap.list('INBOX')).toEqual([]);
  });

  it('a reply with nothing to hand in is answered with what to send, and an out-of-office reply is filed without an answer', async () => {
    const notice = kickoff(COMUNICACIONES);
    const before = replied.stack.mail.messages.length;
    await deliver(outlookReply({ notice, from: 'Comunicaciones <comunicaciones@entidad.gov.co>', body: 'Recibido, estamos trabajando en ello.', headers: [] }));
    await deliver(
      outlookReply({
        notice,
        from: 'Comunicaciones <comunicaciones@entidad.gov.co>',
        body: 'Estoy fuera de la oficina hasta el lunes.',
        headers: ['Auto-Submitted: auto-replied', 'X-Auto-Response-Suppress: All'],
      }),
    );
    const answers = replied.stack.mail.messages.slice(before).filter((m) => m.to.includes(COMUNICACIONES));
    expect(answers).toHaveLength(1);
    expect(answers[0]!.subject).toBe('No se recibió la evidencia de la actividad 3');
    expect(answers[0]!.text).toContain('no trae un archivo adjunto ni un enlace');
    // Answering plazos's answer with the file reaches the same activity.
    expect(answers[0]!.parsed.replyTo?.value[0]?.address).toBe(notice.parsed.replyTo?.value[0]?.address);
    expect((await status(3)).evidence).toEqual([]);
  });

  it('a worker killed after the hand-over and before it filed the message loses nothing and submits once', async () => {
    const notice = kickoff(COMUNICACIONES);
    const raw = thunderbirdReply({
      notice,
      from: 'Comunicaciones <comunicaciones@entidad.gov.co>',
      body: 'Adjunto el informe del sitio web.',
      attachments: [{ name: 'sitio-web.pdf', type: 'application/pdf', content: pdf('sitio web') }],
    });
    await replied.reader.close();
    // A reader that dies right after the workflow took the evidence: nothing recorded, nothing moved.
    let killed = 0;
    const dying = replied.stack.startReader(() => {
      killed++;
      throw new Error('killed');
    });
    await replied.stack.imap.deliver(raw);
    await eventually(
      () => Promise.resolve(killed),
      (n) => n >= 1,
      'the dying reader handed the evidence over',
    );
    await dying.close();
    expect(await replied.stack.imap.list('INBOX')).toEqual([idOf(raw)]);
    expect((await status(3)).evidence).toHaveLength(1);
    // A new reader finds the message still in the inbox, hands it over again, and Temporal answers
    // the repeated update ID with the first result.
    replied.reader = replied.stack.startReader();
    await replied.reader.reader.drained();
    const s = await status(3);
    expect(s.evidence).toHaveLength(1);
    expect(s.evidence[0]!.evidence).toMatchObject({ kind: 'file', name: 'sitio-web.pdf' });
    expect(await replied.stack.imap.list(FOLDERS.processed)).toContain(idOf(raw));
    expect(await replied.stack.imap.list('INBOX')).toEqual([]);
  });

  it("a forwarded chain sent to the plain mailbox is matched by References to the notice, and the colleague's links are not taken", async () => {
    await deliver(
      gmailForward({
        notice: kickoff(CONSUMIDOR),
        from: 'Consumidor Financiero <consumidor.financiero@entidad.gov.co>',
        forwardedFrom: 'Ana Ruiz <ana.ruiz@entidad.gov.co>',
        body: 'Reenvío el informe de atención que preparó Ana.',
        attachments: [{ name: 'informe-atencion.pdf', type: 'application/pdf', content: pdf('atencion') }],
      }),
    );
    const s = await eventually(
      () => status(4),
      (v) => v.evidence.length === 1,
      'activity 4 with one evidence',
    );
    expect(s.evidence[0]!.evidence).toMatchObject({ kind: 'file', name: 'informe-atencion.pdf' });
    expect(s.evidence[0]!.submittedBy).toBe('ARACF');
  });

  it('a reply whose tag was altered, with no reference to a notice, answers nothing and is filed as refused', async () => {
    const notice = kickoff(CONSUMIDOR);
    const forged = (notice.parsed.replyTo?.value[0]?.address ?? '').replace(/[0-9a-f](@)/, (c, at: string) => `${c === '0' ? '1' : '0'}${at}`);
    const raw = thunderbirdReply({ notice, from: CONSUMIDOR, to: forged, body: 'Otro informe: https://example.org/x' })
      .replace(/^In-Reply-To: .*\r\n/m, '')
      .replace(/^References: .*\r\n/m, '');
    await deliver(raw);
    expect(await replied.stack.imap.list(FOLDERS.refused)).toContain(idOf(raw));
    expect(replied.stack.mail.messages.filter((m) => m.parsed.inReplyTo === idOf(raw))).toEqual([]);
    expect((await status(4)).evidence).toHaveLength(1);
  });
});
