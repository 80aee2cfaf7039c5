export * from './records';
export { openRecords, migrate, redactUrl, StoreUnavailableError, SQLITE_FILE, type RecordsSettings, type OpenOptions } from './open';
