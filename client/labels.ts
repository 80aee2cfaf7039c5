// The labels live in domain/labels.ts, below the activities that print them too; the CLI's status
// commands still import them from here.
export { KIND_LABELS, STATUS_LABELS, type LabelLocale } from '../domain/labels';
