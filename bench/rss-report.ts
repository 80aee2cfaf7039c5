/**
 * Preloaded (`node --require`) into a command the memory benchmark runs: on exit it writes the
 * process's peak resident set size, in kB, to the file PLAZOS_BENCH_RSS_FILE names. The command
 * measures itself, so the figure is its own and not the spawning process's.
 */
import { writeFileSync } from 'node:fs';

const target = process.env.PLAZOS_BENCH_RSS_FILE;
if (target) process.on('exit', () => writeFileSync(target, String(process.resourceUsage().maxRSS)));
