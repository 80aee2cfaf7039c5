/**
 * How much input plazos reads, defined once: every importer, the areas directory, the CLI and the
 * web app import these numbers, so a limit named in a message is the limit enforced.
 *
 * Chosen from what an entity's plan needs: the seed is 5 KB with 19 activities and its longest
 * cell has 235 characters; the largest plans entities keep hold a few thousand activities. Each
 * limit lets 20,000 activities through with room to spare (about 5 MB of TSV, 9 MB of canonical
 * YAML) and refuses what would take the machine gigabytes or minutes to read.
 */
export const PLAN_LIMITS = {
  /** Bytes of a plan file in any format, checked from the file system before it is read. */
  fileBytes: 16 * 1024 * 1024,
  /** Lines of a TSV or CSV file, or rows of a worksheet. */
  rows: 100_000,
  /**
   * Lines of a YAML plan. The canonical YAML `plan import` writes spends about six lines per
   * activity, so the CSV's row limit would refuse the YAML of any plan past ~16,000 activities;
   * this lets the largest plan (`activities`) through, and `fileBytes` still bounds the file.
   */
  yamlLines: 500_000,
  /** Activities in a plan, in any format (YAML counts items of `activities:`). */
  activities: 50_000,
  /** Characters in one cell or YAML value: a title, a deliverable, a responsible cell. */
  cellChars: 5_000,
  /** Line breaks inside one quoted CSV field: a cell of a plan holds a paragraph, not a chapter. */
  quotedFieldLines: 200,
  /**
   * Nodes copied by YAML aliases (the yaml library's measure: references times the anchored
   * node's size). `plan import` writes none; a hand-written plan may share a policy among a few
   * hundred activities. A "billion laughs" file asks for 387 million.
   */
  yamlAliasNodes: 1_000,
  /** Nesting of YAML collections: a plan goes five levels deep (plan, activities, item, policy, list). */
  yamlDepth: 32,
  /** Indentation of a YAML line, in columns (the parser's cost grows with it). */
  yamlIndent: 200,
  /**
   * Bytes an XLSX expands to once unzipped. exceljs holds a workbook in memory at ~13 times its
   * XML (87 MB took 1.1 GB); 20,000 activities of the seed's shape are 6 MB of XML.
   */
  xlsxExpandedBytes: 32 * 1024 * 1024,
  /** Entries in an XLSX archive: a workbook has a few dozen parts. */
  xlsxEntries: 2_000,
  /** Errors, and warnings, listed for one file; past that, one entry counts the rest. */
  issues: 1_000,
  /** Notices `plan preview` lists: about seven per activity, twelve times that for a monthly one. */
  previewNotices: 400_000,
  /** Bytes of the areas directory: a few hundred areas fit in a few KB. */
  areasFileBytes: 1024 * 1024,
} as const;

/** Issues of one kind (control characters, say) listed one by one before they are summed up. */
export const MAX_REPEATED_ISSUES = 20;

/** `16777216` as `16 MB`, `100000` as `100.000`, for messages in Spanish. */
export function megabytes(bytes: number): string {
  return `${Math.round(bytes / (1024 * 1024))} MB`;
}

export function thousands(n: number): string {
  return String(n).replace(/\B(?=(\d{3})+(?!\d))/g, '.');
}
