// A throwaway PostgreSQL cluster for tests that stop and restart the server: never the shared
// one. Started with initdb/pg_ctl from /usr/lib/postgresql/*/bin in a temp dir on a free port; as
// root (PostgreSQL refuses to run as root) through `runuser -u postgres` with a dir it owns.
import { execFileSync } from 'node:child_process';
import { chownSync, existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from '../ports.js';

export interface PgCluster {
  url: string;
  stop(): void;
  start(): void;
  destroy(): void;
}

function binDir(): string {
  const root = '/usr/lib/postgresql';
  const versions = existsSync(root) ? readdirSync(root).filter((v) => existsSync(join(root, v, 'bin', 'pg_ctl'))) : [];
  const latest = versions.sort((a, b) => Number(b) - Number(a))[0];
  if (!latest)
    throw new Error(
      'The database fault tests need PostgreSQL server binaries (initdb, pg_ctl) in /usr/lib/postgresql/<version>/bin: install the Debian package `postgresql` (.ci/run does).',
    );
  return join(root, latest, 'bin');
}

function postgresUid(): { uid: number; gid: number } {
  const id = (flag: string) => Number(execFileSync('id', [flag, 'postgres'], { encoding: 'utf8' }).trim());
  return { uid: id('-u'), gid: id('-g') };
}

/** Starts a fresh cluster; `stop()` is `pg_ctl stop -m fast` (what an operator's restart does). */
export async function startPgCluster(): Promise<PgCluster> {
  const bin = binDir();
  const asRoot = process.getuid?.() === 0;
  const dir = mkdtempSync(join(tmpdir(), 'lw-pg-'));
  if (asRoot) {
    const { uid, gid } = postgresUid();
    chownSync(dir, uid, gid);
  }
  const run = (tool: string, args: string[]) =>
    execFileSync(
      asRoot ? 'runuser' : join(bin, tool),
      asRoot ? ['-u', 'postgres', '--', join(bin, tool), ...args] : args,
      {
        stdio: 'pipe',
        timeout: 60_000,
      },
    );
  const data = join(dir, 'data');
  const port = await freePort();
  run('initdb', ['-D', data, '-A', 'trust', '-U', 'postgres', '--no-sync', '-E', 'UTF8']);
  const pgCtl = (action: string[]) => run('pg_ctl', ['-D', data, '-l', join(dir, 'log'), '-w', ...action]);
  const start = () => pgCtl(['-o', `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1 -c fsync=off`, 'start']);
  start();
  return {
    url: `postgres://postgres@127.0.0.1:${port}/postgres`,
    start,
    stop: () => pgCtl(['-m', 'fast', 'stop']),
    destroy: () => {
      try {
        pgCtl(['-m', 'immediate', 'stop']);
      } catch {
        // already stopped
      }
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
