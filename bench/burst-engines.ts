/**
 * Benchmark `registro`: the 08:00 burst of bench/burst.ts with plazos's records (the sent-ledger
 * the worker asks before and writes after every notice) in SQLite, the embedded default
 * (`<dataDir>/plazos.sqlite`), and in PostgreSQL, as production keeps them; each against the same
 * trivial workflows (a timer and one plain message), all in one run. Three bursts per run, each on
 * a fresh dev server and SMTP capture: SQLite, the trivial workflows, PostgreSQL, the two engines
 * swapping places from one run to the next, so that neither always goes first on a machine whose
 * load drifts.
 *
 * Both engines flush every commit to the same disk (the temp dir): SQLite with synchronous=FULL,
 * as store/records always opens it, and PostgreSQL with fsync on, as a production server runs. The
 * worker signs in to PostgreSQL with a password read from a file, as PLAZOS_DATABASE_PASSWORD_FILE
 * says in production, over loopback: a database on another host adds its network on top.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { startPostgres, type PostgresServer } from '../simulation/postgres';
import { plazosBurst, temporalBurst, type BurstRecords, type BurstRun } from './burst';
import { cpuTotal, formatCpuSplit, type CpuSplit } from './cpu';
import type { Seed } from './plans';
import type { Figure } from './report';
import { pairedRatio, summarize } from './stats';

/**
 * plazos against the trivial workflows with the file ledger this replaces (one JSON file per key,
 * fsync, group commit), on a quiet machine: bench/results/LOG.md, 2026-12-03. The stores must not
 * make the burst worse than that.
 */
const FILE_LEDGER_RATIO = 0.76;

/** A new database per run, as a fresh data dir is for SQLite: no run finds another's receipts. */
function freshDatabase(pg: PostgresServer, run: number): BurstRecords {
  const name = `plazos_registro_${run + 1}`;
  const password = `clave-${name}`;
  pg.createDatabase(name, password);
  const passwordFile = join(pg.dir, `${name}.password`);
  writeFileSync(passwordFile, `${password}\n`, { mode: 0o600 });
  return { url: pg.url(name, name), passwordFile, databasePid: pg.pid() };
}

const ms = (v: number | null) => (v === null ? 'n/d' : `${v.toFixed(1)} ms`);
const cpuLine = (cpu: CpuSplit | undefined) => (cpu ? `${formatCpuSplit(cpu)} (total ${ms(cpuTotal(cpu))})` : 'n/d');
const loadLine = (r: BurstRun) => (r.load ? `${r.load.atInstant.toFixed(1)}→${r.load.atEnd.toFixed(1)}` : 'n/d');

export async function benchBurstEngines(seed: Seed, count: number, runs: number, log: (m: string) => void): Promise<Figure[]> {
  const pg = await startPostgres({ auth: 'scram', fsync: true });
  const sqlite: BurstRun[] = [];
  const postgres: BurstRun[] = [];
  const bare: BurstRun[] = [];
  try {
    for (let run = 0; run < runs; run++) {
      const onSqlite = () => plazosBurst(seed, count, run, {}, `registro/${count} (plazos, SQLite)`);
      const onPostgres = () => plazosBurst(seed, count, run, freshDatabase(pg, run), `registro/${count} (plazos, PostgreSQL)`);
      const [first, last] = run % 2 === 0 ? [onSqlite, onPostgres] : [onPostgres, onSqlite];
      const a = await first();
      const t = await temporalBurst(count);
      const b = await last();
      const [s, p] = run % 2 === 0 ? [a, b] : [b, a];
      sqlite.push(s);
      postgres.push(p);
      bare.push(t);
      log(
        `registro/${count} corrida ${run + 1}: SQLite ${s.seconds.toFixed(2)} s (${s.received} recibidos, carga ${loadLine(s)}), ` +
          `Temporal sin plazos ${t.seconds.toFixed(2)} s (${t.received}, carga ${loadLine(t)}), PostgreSQL ${p.seconds.toFixed(2)} s (${p.received}, carga ${loadLine(p)})`,
      );
      log(`registro/${count} CPU por mensaje: SQLite: ${cpuLine(s.cpu)}; PostgreSQL: ${cpuLine(p.cpu)}; sin plazos: ${cpuLine(t.cpu)}`);
    }
  } finally {
    pg.close();
  }
  const throughput = (rs: BurstRun[]) => rs.map((r) => count / r.seconds);
  const seconds = (rs: BurstRun[]) => summarize(rs.map((r) => r.seconds)).median.toFixed(2);
  const order = (run: number) => (run % 2 === 0 ? 'SQLite, triviales, PostgreSQL' : 'PostgreSQL, triviales, SQLite');
  const perRun = (side: BurstRun[], name: string) =>
    side.map(
      (r, i) =>
        `Corrida ${i + 1} (${order(i)}): ${name} ${r.seconds.toFixed(2)} s, carga media 1 min ${loadLine(r)}; triviales ${bare[i]!.seconds.toFixed(2)} s, carga ${loadLine(bare[i]!)}. ` +
        `CPU por mensaje: ${name}: ${cpuLine(r.cpu)}; triviales: ${cpuLine(bare[i]!.cpu)}.`,
    );
  const against = (side: BurstRun[], engine: 'sqlite' | 'postgres', name: string): Figure => ({
    id: `registro/${count}/${engine}`,
    label: `${count} avisos a las 08:00 con los registros de plazos en ${name}, frente a flujos triviales (temporizador + 1 correo)`,
    unit: 'msj/s',
    measured: summarize(throughput(side)),
    baseline: summarize(throughput(bare)),
    baselineLabel: 'flujos triviales de Temporal',
    ratio: pairedRatio(throughput(side), throughput(bare)),
    target: { op: '>=', value: FILE_LEDGER_RATIO },
    counts: { expected: count, received: side.map((r) => r.received) },
    notes: [
      `Objetivo: no peor que el registro de envíos en archivos (${FILE_LEDGER_RATIO}x en máquina tranquila, 2026-12-03).`,
      `Recibidos por corrida: ${side.map((r) => r.received).join(', ')} (se esperan exactamente ${count}); triviales: ${bare.map((r) => r.received).join(', ')}.`,
      `Segundos hasta el último: ${name} ${seconds(side)} s, triviales ${seconds(bare)} s.`,
      ...perRun(side, name),
    ],
  });
  return [
    against(sqlite, 'sqlite', 'SQLite'),
    against(postgres, 'postgres', 'PostgreSQL'),
    {
      id: `registro/${count}/postgres-frente-a-sqlite`,
      label: `${count} avisos a las 08:00: registros de plazos en PostgreSQL frente a SQLite`,
      unit: 'msj/s',
      measured: summarize(throughput(postgres)),
      baseline: summarize(throughput(sqlite)),
      baselineLabel: 'registros en SQLite',
      ratio: pairedRatio(throughput(postgres), throughput(sqlite)),
      counts: { expected: count, received: postgres.map((r) => r.received) },
      notes: [
        'PostgreSQL con fsync, en el mismo disco que el SQLite del worker (synchronous=FULL); en la misma máquina, por loopback.',
        `Segundos hasta el último: PostgreSQL ${seconds(postgres)} s, SQLite ${seconds(sqlite)} s.`,
      ],
    },
  ];
}
