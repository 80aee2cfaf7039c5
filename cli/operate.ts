/**
 * What the operator's commands on running plans share: plazos's settings, a Temporal client and
 * the stores, the workflow an activity number names, and the workflow's refusals shown as they are
 * (exit 1) while a bad argument never reaches Temporal (exit 2). The commands are in cli/start.ts
 * (`plan start`), cli/status.ts (`status`) and cli/activity.ts (evidence, review, extend, cancel,
 * amend, history), as cli/commands/ registers them.
 */
import { WorkflowNotFoundError, type Client, type WorkflowHandle } from '@temporalio/client';
import pino from 'pino';
import type { z } from 'zod';
import { connectClient } from '../client/connect';
import { KIND_LABELS, STATUS_LABELS } from '../domain/labels';
import { tryUpdate } from '../client/operations';
import { ConfigError, parseEnv, type Env } from '../config/schema';
import { openStores, type Stores } from '../store/open';
import { isIsoDate } from '../plans/model';
import { activityWorkflowId, isClosed, periodWorkflowId, statusQuery } from '../workflows/shared';
import { CliError, EXIT } from '../domain/errors';
import { cliLocale, t } from './i18n';

export type RunEnv = Env & { dataDir: string };

function env(): RunEnv {
  try {
    return parseEnv();
  } catch (err) {
    if (err instanceof ConfigError) throw new CliError(err.message, EXIT.usage);
    throw err;
  }
}

/** plazos's stores as the settings name them, closed after `fn`; one it cannot reach is a usage error, said in one line. */
export async function withStores<T>(config: RunEnv, fn: (stores: Stores) => Promise<T>): Promise<T> {
  let stores: Stores;
  try {
    // Warnings only, and on stderr: stdout is the command's answer (--json).
    stores = await openStores(config, pino({ name: 'plazos', level: 'warn' }, pino.destination(2)));
  } catch (err) {
    if (err instanceof ConfigError) throw new CliError(err.message, EXIT.usage);
    throw err;
  }
  try {
    return await fn(stores);
  } finally {
    await stores.close();
  }
}

export async function withClient<T>(fn: (client: Client, env: RunEnv) => Promise<T>): Promise<T> {
  const config = env();
  const connected = await connectClient(config);
  try {
    return await fn(connected.client, config);
  } finally {
    await connected.close();
  }
}

export function out(json: boolean | undefined, data: unknown, text: string): void {
  process.stdout.write(json ? `${JSON.stringify(data, null, 2)}\n` : text.endsWith('\n') ? text : `${text}\n`);
}

/** A bad argument, checked with the same schema the workflow's validator uses: exit 2, nothing sent. */
export function parseArgs<T extends z.ZodType>(schema: T, payload: unknown): z.infer<T> {
  const parsed = schema.safeParse(payload);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0];
  const field = issue && issue.path.length > 0 ? `${issue.path.join('.')}: ` : '';
  throw new CliError(`${field}${issue?.message ?? t().invalidArgumentValue}`, EXIT.usage);
}

function activityNumber(text: string): number {
  if (!/^\d{1,5}$/.test(text) || Number(text) < 1) throw new CliError(t().activityNumber(text), EXIT.usage);
  return Number(text);
}

export function checkDate(option: string, value: string): string {
  if (!isIsoDate(value)) throw new CliError(t().badDate(option, value), EXIT.usage);
  return value;
}

/** The workflow of an activity (or of one period of a recurring one), checked to exist. */
export async function target(client: Client, plan: string, n: string, period?: string): Promise<WorkflowHandle> {
  const number = activityNumber(n);
  if (period !== undefined && !/^\d{4}-\d{2}$/.test(period)) throw new CliError(t().badPeriod(period), EXIT.usage);
  const id = period ? periodWorkflowId(plan, number, period) : activityWorkflowId(plan, number);
  const handle = client.workflow.getHandle(id);
  try {
    await handle.describe();
  } catch (err) {
    if (err instanceof WorkflowNotFoundError) {
      throw new CliError(period ? t().noPeriod(period, number, plan) : t().noActivity(number, plan), EXIT.refused);
    }
    throw err;
  }
  return handle;
}

/** Updates to a recurring activity go to one of its periods. */
export async function periodTarget(client: Client, plan: string, n: string, period?: string): Promise<WorkflowHandle> {
  const handle = await target(client, plan, n, period);
  if (period) return handle;
  const status = await handle.query(statusQuery);
  if (status.kind === 'recurring') {
    const open = status.periods.filter((p) => p.status !== 'not-started' && !isClosed(p.status)).map((p) => p.key);
    throw new CliError(t().recurringNeedsPeriod(n, open), EXIT.usage);
  }
  return handle;
}

/** The workflow's own refusal, in its words (client/operations.ts's tryUpdate reads it). */
export async function update<T>(send: () => Promise<T>): Promise<T> {
  const outcome = await tryUpdate(send);
  if (!outcome.ok) throw new CliError(t().refusedByWorkflow(outcome.message), EXIT.refused);
  return outcome.value;
}

/** Statuses and notice kinds in the CLI's language (PLAZOS_LANG). */
export const statusLabels = (): Record<string, string> => STATUS_LABELS[cliLocale()];
export const kindLabels = (): Record<string, string> => KIND_LABELS[cliLocale()];
