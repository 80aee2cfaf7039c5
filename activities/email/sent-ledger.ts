/**
 * The sent-ledger: which notices have already gone out. Temporal runs an activity at least once,
 * so before sending, the activity asks the ledger; after sending, it records the receipt. The
 * records live in plazos's store (SQLite by default, PostgreSQL in production: store/records), where
 * every worker and the mailbox reader see the same ones.
 */
import { ApplicationFailure } from '@temporalio/common';
import { RecordUnreadableError, type SentLedger } from '../../store/records';

export type { SentLedger } from '../../store/records';

/**
 * The store's ledger, with a receipt it cannot read turned into a failure Temporal does not retry:
 * we cannot tell whether that mail went out, so we stop rather than guess (and send it twice).
 */
export function sentLedger(store: SentLedger): SentLedger {
  return {
    async find(idempotencyKey) {
      try {
        return await store.find(idempotencyKey);
      } catch (error) {
        if (!(error instanceof RecordUnreadableError)) throw error;
        throw ApplicationFailure.nonRetryable(`${error.message} Revíselo antes de reintentar este aviso.`, 'SentLedgerUnreadable');
      }
    },
    record: (entry) => store.record(entry),
  };
}
