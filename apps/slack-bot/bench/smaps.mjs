// Where a process's RSS is, from /proc/<pid>/smaps (Linux; the benchmarks print it with
// BENCH_SMAPS=1): file-backed (mostly the node binary's code), malloc's main arena ([heap]), V8's heap
// pages (256 KiB anonymous mappings, aligned: Node is built without pointer compression, so each page
// is its own mapping) and other anonymous memory (thread stacks, other malloc arenas, V8's code range).
import { readFileSync } from 'node:fs';

/**
 * One line: file-backed (node binary), malloc [heap], V8 pages, other anonymous, in MiB.
 * @example
 * console.log(`smaps: ${smapsSummary(child.pid)}`);
 */
export function smapsSummary(pid = 'self') {
  let current;
  const mappings = [];
  for (const line of readFileSync(`/proc/${pid}/smaps`, 'utf8').split('\n')) {
    const head = /^([0-9a-f]+)-([0-9a-f]+) \S+ \S+ \S+ \S+\s*(.*)$/.exec(line);
    if (head) {
      const start = Number.parseInt(head[1], 16);
      current = { name: head[3], start, kib: (Number.parseInt(head[2], 16) - start) / 1024, rss: 0 };
      mappings.push(current);
    } else if (current && line.startsWith('Rss:')) current.rss = Number(/(\d+) kB/.exec(line)?.[1] ?? 0);
  }
  const sum = (list) => list.reduce((total, m) => total + m.rss, 0);
  const mib = (kib) => `${(kib / 1024).toFixed(1)} MiB`;
  const files = mappings.filter((m) => m.name.startsWith('/'));
  const node = files.filter((m) => m.name.endsWith('/node'));
  const arena = mappings.filter((m) => m.name === '[heap]');
  const anonymous = mappings.filter((m) => m.name === '');
  const v8Pages = anonymous.filter((m) => m.kib === 256 && m.start % 262_144 === 0);
  const byFile = new Map();
  for (const m of files) if (!m.name.endsWith('/node')) byFile.set(m.name, (byFile.get(m.name) ?? 0) + m.rss);
  const others = [...byFile]
    .sort((a, b) => b[1] - a[1])
    .slice(0, 3)
    .map(([name, kib]) => `${name.split('/').slice(-2).join('/')} ${mib(kib)}`)
    .join(', ');
  return `file-backed ${mib(sum(files))} (node binary ${mib(sum(node))}; ${others}), malloc [heap] ${mib(sum(arena))}, V8 pages ${v8Pages.length} = ${mib(sum(v8Pages))}, other anonymous ${mib(sum(anonymous) - sum(v8Pages))}`;
}
