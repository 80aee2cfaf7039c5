import { rmSync } from 'node:fs';
import { ApplicationFailure } from '@temporalio/common';
import { toActivityFailure } from '../../../activities/email/smtp-failures';
import { closedPort, startSmtpServer, type TestSmtpServer } from '../../helpers/smtp';
import { ALL_ADDRESSES, harness, notice, tempDir, type Harness } from './fixtures';
import { testRecords } from '../../helpers/records';

let server: TestSmtpServer;
let dir: string;
const opened: Harness[] = [];

function worker(target: Pick<TestSmtpServer, 'transportOptions'> = server): Harness {
  // The worker's own list of notices that could not go out yet (workers/deps.ts), in the same store.
  const h = harness(target, dir, { unsent: testRecords(dir).unsent });
  opened.push(h);
  return h;
}

/** The failure sendNotice threw, as Temporal would see it. */
async function failureOf(promise: Promise<unknown>): Promise<ApplicationFailure> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(ApplicationFailure);
  return error as ApplicationFailure;
}

function expectNoAddresses(failure: ApplicationFailure): void {
  const visible = `${failure.message} ${JSON.stringify(failure.details)}`;
  for (const address of ALL_ADDRESSES) expect(visible).not.toContain(address);
}

beforeAll(async () => {
  server = await startSmtpServer();
});
afterAll(async () => {
  await server.stop();
});
beforeEach(() => {
  server.reset();
  dir = tempDir();
});
afterEach(() => {
  opened.splice(0).forEach((h) => h.transport.close());
  rmSync(dir, { recursive: true, force: true });
});

const alone = notice({ to: ['ASERA'], cc: [] });

test('a 4xx from the server is a retryable failure, and the retry after the server recovers delivers once', async () => {
  server.replyToRecipient('servicio.afiliado@entidad.gov.co', 451, 'Mailbox busy, try later');
  const { activities } = worker();
  const failure = await failureOf(activities.sendNotice(alone));
  expect(failure.nonRetryable).toBe(false);
  expect(failure.type).toBe('SmtpTransientFailure');
  expect(failure.message).toMatch(/aplazó .*respuesta SMTP 451.*se reintentará/);
  expect(server.messages).toHaveLength(0);

  server.reset();
  const receipt = await activities.sendNotice(alone);
  expect(receipt).toMatchObject({ accepted: ['ASERA'], rejected: [], duplicate: false });
  expect(server.messages).toHaveLength(1);
});

test('a 5xx for every recipient is a non-retryable SmtpPermanentFailure naming the area codes, not the addresses', async () => {
  server.replyToRecipient('servicio.afiliado@entidad.gov.co', 550, 'No such user here');
  const { activities } = worker();
  const failure = await failureOf(activities.sendNotice(alone));
  expect(failure.nonRetryable).toBe(true);
  expect(failure.type).toBe('SmtpPermanentFailure');
  expect(failure.details).toEqual([expect.objectContaining({ rejected: ['ASERA'], responseCode: 550 })]);
  expect(failure.message).toContain('rechazó definitivamente');
  expectNoAddresses(failure);
  expect(server.messages).toHaveLength(0);
});

test('the server being down (connection refused) is a retryable failure', async () => {
  const port = await closedPort();
  const { activities } = worker({ transportOptions: { ...server.transportOptions, port } });
  const failure = await failureOf(activities.sendNotice(alone));
  expect(failure.nonRetryable).toBe(false);
  expect(failure.type).toBe('SmtpConnectionFailure');
  expect(failure.details).toEqual([expect.objectContaining({ responseCode: null, originalCode: 'ECONNREFUSED' })]);
  expect(failure.message).toContain('(ECONNREFUSED); se reintentará');
});

test('when some recipients get a 5xx and others accept, the notice is sent once and the refused areas are listed', async () => {
  server.replyToRecipient('comunicaciones@entidad.gov.co', 550, 'Mailbox disabled');
  server.replyToRecipient('jefe.comunicaciones@entidad.gov.co', 550, 'Mailbox disabled');
  const { activities, logs } = worker();
  const receipt = await activities.sendNotice(notice({ to: ['OAPLA'], cc: ['ARCOM'] }));
  expect(receipt).toMatchObject({ accepted: ['OAPLA'], rejected: ['ARCOM'], duplicate: false });
  expect(server.messages).toHaveLength(1);
  expect(server.messages[0]?.envelope.to.sort()).toEqual(['planeacion@entidad.gov.co', 'seguimiento.planeacion@entidad.gov.co']);

  // It was recorded as sent: a retry does not send it again to the areas that accepted it.
  const again = await activities.sendNotice(notice({ to: ['OAPLA'], cc: ['ARCOM'] }));
  expect(again).toEqual({ ...receipt, duplicate: true });
  expect(server.messages).toHaveLength(1);
  expect(logs.entries().find((e) => e.msg === 'Notice sent; some areas refused it')).toMatchObject({ rejected: ['ARCOM'] });
});

test('an area code missing from the areas directory is a non-retryable UnknownArea failure and sends nothing', async () => {
  const { activities } = worker();
  const failure = await failureOf(activities.sendNotice(notice({ to: ['ARVIV'] })));
  expect(failure.nonRetryable).toBe(true);
  expect(failure.type).toBe('UnknownArea');
  expect(failure.message).toContain('Las áreas ARVIV no están en el directorio de áreas');
  expect(server.messages).toHaveLength(0);
});

test('an evidence link that is not http or https is refused as InvalidNoticeInput and nothing is sent', async () => {
  const { activities } = worker();
  const failure = await failureOf(activities.sendNotice(notice({ links: { evidence: 'javascript:alert(1)' } })));
  expect(failure.nonRetryable).toBe(true);
  expect(failure.type).toBe('InvalidNoticeInput');
  expect(failure.message).toContain('links.evidence: El enlace debe ser una URL http o https.');
  expect(server.messages).toHaveLength(0);
});

test('when some recipients get a 4xx and others accept, the notice counts as sent and the deferred areas are listed', async () => {
  server.replyToRecipient('comunicaciones@entidad.gov.co', 452, 'Too many recipients, try later');
  const { activities } = worker();
  const receipt = await activities.sendNotice(notice({ to: ['OAPLA'], cc: ['ARCOM'] }));
  expect(receipt).toMatchObject({ accepted: ['OAPLA', 'ARCOM'], rejected: ['ARCOM'], duplicate: false });
  expect(server.messages).toHaveLength(1);
});

describe('how other SMTP replies are classified', () => {
  const context = { idempotencyKey: 'k', kind: 'reminder', areasFor: () => ['ARCOM'], allAreas: ['OAPLA', 'ARCOM'] };
  // Shaped like the errors nodemailer throws (see NodemailerError).
  const smtpError = (fields: Record<string, unknown>) => Object.assign(new Error('smtp'), fields);

  test('503 "bad sequence of commands" is retryable: a new connection can pass it', () => {
    const failure = toActivityFailure(smtpError({ code: 'EPROTOCOL', responseCode: 503, permanent: false, command: 'DATA' }), context);
    expect(failure).toMatchObject({ nonRetryable: false, type: 'SmtpTransientFailure' });
  });

  test('rejected credentials (535) are retryable SmtpAuthFailure: fixing the settings lets the notice go out', () => {
    const failure = toActivityFailure(smtpError({ code: 'EAUTH', responseCode: 535, permanent: true, command: 'AUTH PLAIN' }), context);
    expect(failure).toMatchObject({ nonRetryable: false, type: 'SmtpAuthFailure' });
  });

  test('a relay refusing a client that did not log in, or a sender it may not use, is retried: the settings are at fault, not the message', () => {
    for (const response of [
      '554 5.7.1 <a@b.c>: Relay access denied',
      '553 5.7.1 <plazos@entidad.gov.co>: Sender address rejected: not owned by user respuestas',
    ]) {
      const failure = toActivityFailure(
        smtpError({ code: 'EENVELOPE', responseCode: Number(response.slice(0, 3)), permanent: true, response, command: 'RCPT TO' }),
        context,
      );
      expect(failure.nonRetryable).toBe(false);
      expect(failure.type).toBe('SmtpAuthFailure');
      expect(failure.message).not.toContain('a@b.c');
    }
  });

  test('a 554 refusing the whole message after DATA is permanent for every area it was addressed to', () => {
    const failure = toActivityFailure(smtpError({ code: 'EMESSAGE', responseCode: 554, permanent: true, command: 'DATA' }), context);
    expect(failure).toMatchObject({ nonRetryable: true, type: 'SmtpPermanentFailure' });
    expect(failure.details).toEqual([expect.objectContaining({ rejected: ['OAPLA', 'ARCOM'], responseCode: 554 })]);
  });

  test('a timeout without any reply is retryable', () => {
    const failure = toActivityFailure(smtpError({ code: 'ETIMEDOUT', timeoutType: 'GREETING_TIMEOUT' }), context);
    expect(failure).toMatchObject({ nonRetryable: false, type: 'SmtpConnectionFailure' });
    expect(failure.message).toContain('(ETIMEDOUT)');
  });
});

describe('the list of notices that cannot go out yet', () => {
  const unsent = () => testRecords(dir).unsent;
  const listed = () => unsent().list({ sinceMs: 0, limit: 10 });

  test('a retryable failure lists the notice under its workflow and plan, with why and what to change; a retry that sends it takes it off as sent late', async () => {
    server.replyToRecipient('servicio.afiliado@entidad.gov.co', 451, 'Mailbox busy, try later');
    const { activities } = worker();
    await failureOf(activities.sendNotice(alone));
    await failureOf(activities.sendNotice(alone));
    const [row, ...rest] = await listed();
    expect(rest).toEqual([]);
    expect(row).toMatchObject({
      idempotencyKey: alone.idempotencyKey,
      workflowId: `${alone.plan.id}/${alone.activity.number}`,
      planId: alone.plan.id,
      kind: 'kickoff',
      code: 'smtp-deferred',
      reason: 'El servidor SMTP aplazó la operación (respuesta 451).',
      attempts: 2,
    });
    // What the server said is never stored: it may quote the address.
    expect(JSON.stringify(row)).not.toContain('servicio.afiliado');

    server.reset();
    await activities.sendNotice(alone);
    await expect(listed()).resolves.toEqual([]);
    await expect(unsent().late({ sinceMs: 0 })).resolves.toMatchObject({ count: 1 });
  });

  test('the server down is listed as a refused connection', async () => {
    const port = await closedPort();
    const { activities } = worker({ transportOptions: { ...server.transportOptions, port } });
    await failureOf(activities.sendNotice(alone));
    await expect(listed()).resolves.toEqual([
      expect.objectContaining({ code: 'connection-refused', fix: expect.stringContaining('Revise el servidor y el puerto') }),
    ]);
  });

  test('a refusal for good takes the notice off without counting it as sent: the workflow reports it to OAPLA', async () => {
    server.replyToRecipient('servicio.afiliado@entidad.gov.co', 451, 'Mailbox busy, try later');
    const { activities } = worker();
    await failureOf(activities.sendNotice(alone));
    server.reset();
    server.replyToRecipient('servicio.afiliado@entidad.gov.co', 550, 'No such user here');
    await failureOf(activities.sendNotice(alone));
    await expect(listed()).resolves.toEqual([]);
    await expect(unsent().late({ sinceMs: 0 })).resolves.toMatchObject({ count: 0 });
  });
});
