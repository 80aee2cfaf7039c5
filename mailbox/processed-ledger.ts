/**
 * The messages of the reply mailbox already acted on, by Message-ID: the folder each goes to and
 * what was done. Recorded after the action (submission, answer) and before the message is moved,
 * so a message read again (a crash before the move, a copy delivered twice) is moved, not acted on
 * twice. The rows live in plazos's store (store/records), shared by every reader.
 */
export type { Folder, Processed, ProcessedLedger } from '../store/records';
