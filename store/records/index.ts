export * from './records';
export type { CalendarFeed, CalendarFeeds, CalendarEventVersions, EventVersion } from './calendar-feeds';
export { openRecords, migrate, redactUrl, StoreUnavailableError, SQLITE_FILE, type RecordsSettings, type OpenOptions } from './open';
