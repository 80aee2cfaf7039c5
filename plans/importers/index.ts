/**
 * The importers, one per format, and `importPlanFile`, which picks one by the file's extension.
 * Code on a start-up path (the CLI) imports `./read-file` instead, which loads only the importer
 * a file needs; importing this index loads them all.
 */
export { importPlanFile, decodeText, SUPPORTED_EXTENSIONS } from './read-file';
export { importTsvPlan, importGrid, planSlug, planYear, tsvRows, type GridRow, type PlanYearSource } from './tsv';
export { importCsvPlan } from './csv';
export { importXlsxPlan } from './xlsx';
export { importYamlPlan } from './yaml';
export type { ImportOptions } from '../validate';
