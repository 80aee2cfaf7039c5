/**
 * `plazos calendar feed create --area ARCOM|all`, `list`, `revoke ID`: the private calendar
 * subscriptions OAPLA hands to areas (web/routes/calendar-feed.ts serves them). The URL is shown
 * once, at creation: the store keeps only a hash of its token.
 */
import { DateTime } from 'luxon';
import { PLAN_TIMEZONE } from '../calendar/policy';
import { ALL_AREAS, checkFeedScope, feedUrls } from '../client/calendar-feed';
import { loadAreasFile, resolveAreasPath } from '../config/load-areas';
import { ConfigError, parseEnv, webBaseUrl, type Env } from '../config/schema';
import { AREA_CODE_PATTERN } from '../plans/rules';
import type { CalendarFeed } from '../store/records';
import { CliError, EXIT } from '../domain/errors';
import { t } from './i18n';
import { withStores } from './operate';

type RunEnv = Env & { dataDir: string };

function env(): RunEnv {
  try {
    return parseEnv();
  } catch (err) {
    if (err instanceof ConfigError) throw new CliError(err.message, EXIT.usage);
    throw err;
  }
}

const when = (ms: number) => DateTime.fromMillis(ms, { zone: PLAN_TIMEZONE }).toFormat('yyyy-MM-dd HH:mm');

function feedJson(f: CalendarFeed) {
  return {
    id: f.id,
    scope: f.scope,
    createdAt: new Date(f.createdAt).toISOString(),
    revokedAt: f.revokedAt === null ? null : new Date(f.revokedAt).toISOString(),
  };
}

function write(text: string): void {
  process.stdout.write(`${text}\n`);
}

export async function createFeedCommand(opts: { area: string; areas?: string; json?: boolean }): Promise<number> {
  const m = t();
  if (opts.area !== ALL_AREAS && !AREA_CODE_PATTERN.test(opts.area)) throw new CliError(m.usage(m.feedArea(opts.area)), EXIT.usage);
  const config = env();
  if (opts.area !== ALL_AREAS) {
    const path = resolveAreasPath(opts.areas);
    const directory = loadAreasFile(path);
    const check = checkFeedScope(opts.area, directory);
    if (!check.ok) throw new CliError(m.feedUnknownArea(opts.area, path, check.known, check.problem), directory.unreadable ? EXIT.usage : EXIT.refused);
  }
  const { feed, token } = await withStores(config, (stores) => stores.records.calendarFeeds.create(opts.area, Date.now()));
  const { url, webcal } = feedUrls(webBaseUrl(config), token);
  write(opts.json ? JSON.stringify({ ...feedJson(feed), url, webcal }, null, 2) : m.feedCreated(feed.id, feed.scope, url, webcal));
  return EXIT.ok;
}

export async function listFeedsCommand(opts: { json?: boolean }): Promise<number> {
  const m = t();
  const feeds = await withStores(env(), (stores) => stores.records.calendarFeeds.list());
  if (opts.json) write(JSON.stringify(feeds.map(feedJson), null, 2));
  else
    write(
      feeds.length === 0
        ? m.feedNone
        : feeds.map((f) => m.feedRow(f.id, f.scope, when(f.createdAt), f.revokedAt === null ? null : when(f.revokedAt))).join('\n'),
    );
  return EXIT.ok;
}

export async function revokeFeedCommand(id: string, opts: { json?: boolean }): Promise<number> {
  const m = t();
  const revoked = await withStores(env(), (stores) => stores.records.calendarFeeds.revoke(id, Date.now()));
  if (opts.json) write(JSON.stringify({ id, revoked }, null, 2));
  else if (revoked) write(m.feedRevoked(id));
  else process.stderr.write(`${m.feedUnknown(id)}\n`);
  return revoked ? EXIT.ok : EXIT.refused;
}
