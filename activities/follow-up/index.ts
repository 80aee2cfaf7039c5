/** The follow-up cuts: the snapshot at each cut, its renderings, the kept store and the mail. */
export { createCutActivities, type CutActivities, type CutDeps } from './activities';
export { readCutSnapshot } from './collect';
export { CUT_FORMATS, CUT_MEDIA_TYPES, cutFileName, cutStatusLabel, renderCut, renderCutCsv, renderCutPdf, renderCutXlsx, type CutFormat } from './render';
export { buildCutSnapshot, cutRow } from './snapshot';
export { createCutStore, memoryCutStore, type CutStore } from './store';
export { loadCutTemplates, type CutTemplates } from './templates';
export { cutTotals } from './totals';
export * from './types';
