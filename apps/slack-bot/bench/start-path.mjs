// How `pnpm start` starts the bot, for the benchmarks to start it the same way: the environment
// variables and Node flags of package.json's "start" script (the Dockerfile's ENV and CMD carry the
// same; test/start-path.test.ts keeps the two equal). To compare: BENCH_NODE_FLAGS replaces the
// flags ("" for none); BENCH_START_PATH=plain starts a bare `node` (no flags, no variables).
import { readFileSync } from 'node:fs';

/**
 * The start script's environment (e.g. `{ MALLOC_ARENA_MAX: '1' }`), Node flags and entry point.
 * @example
 * const { env, flags } = startPath();
 * spawn(process.execPath, [...flags, 'dist/main.js'], { env: { ...process.env, ...env } });
 */
export function startPath() {
  const { scripts } = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8'));
  const words = scripts.start.trim().split(/\s+/);
  const env = {};
  let at = 0;
  for (; /^[A-Z_][A-Z0-9_]*=/.test(words[at]); at += 1) {
    const [name, ...value] = words[at].split('=');
    env[name] = value.join('=');
  }
  if (words[at] !== 'node') throw new Error(`the start script runs ${words[at]}, not node`);
  at += 1;
  const flags = [];
  for (; words[at]?.startsWith('--'); at += 1) flags.push(words[at]);
  const override = process.env.BENCH_NODE_FLAGS;
  if (process.env.BENCH_START_PATH === 'plain') return { env: {}, flags: [], entry: words[at] };
  return {
    env,
    flags: override === undefined ? flags : override.split(/\s+/).filter(Boolean),
    entry: words[at],
  };
}

/** The start path in one line, for a benchmark's header. @example console.log(describeStartPath()) */
export function describeStartPath() {
  const { env, flags } = startPath();
  const vars = Object.entries(env).map(([name, value]) => `${name}=${value}`);
  return [...vars, 'node', ...flags].join(' ');
}
