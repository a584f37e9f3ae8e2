import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { cruise, type ICruiseResult, type IForbiddenRuleType } from 'dependency-cruiser';

// The import rules of the workspace's layout, read from the code by dependency-cruiser (which parses
// each file's imports, type-only and dynamic ones included, and resolves them as Node and TypeScript
// do):
// - an app's top-level parts (the folders and the files directly under its src/) import each other
//   in one direction only: no cycle between them;
// - an app's shared folder (the bot's block-kit/) imports nothing else of its app;
// - a feature folder does not reach into another feature's sub-folder (delivery/slack/ is the Slack
//   adapter's inside); composition folders (the bot's runtime/) wire everything and may;
// - a package never imports an app, by path or by name.

/** One app and the layout rules that apply to it. */
export interface AppLayout {
  /** The app's folder, relative to the root: `apps/slack-bot`. */
  dir: string;
  /** A folder of src/ that holds what every feature shares and imports nothing else of the app. */
  shared?: string;
  /** Folders of src/ that wire the features together (composition roots): they may import anything. */
  composition?: readonly string[];
}

/** What to check, relative to `root`. */
export interface Layout {
  root: string;
  apps: readonly AppLayout[];
  /** Library folders (`packages/alerts`): each one's src/ must not import an app. */
  packages: readonly string[];
}

/** What the check found: every rule broken, in words, and how much of the code it read. */
export interface BoundaryReport {
  problems: string[];
  /** Imports between two top-level parts of each app, `from -> to` (e.g. `licenses/ -> alerts/`). */
  partImports: Map<string, Set<string>>;
  /** Files read, by folder checked (so a check that silently read nothing shows). */
  filesRead: number;
}

const literal = (text: string) => text.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');

function appNames(root: string, apps: readonly AppLayout[]): string[] {
  return apps.flatMap((app) => {
    const file = join(root, app.dir, 'package.json');
    return existsSync(file) ? [JSON.parse(readFileSync(file, 'utf8')).name as string] : [];
  });
}

function forbiddenRules(layout: Layout): IForbiddenRuleType[] {
  const rules: IForbiddenRuleType[] = [];
  for (const app of layout.apps) {
    const src = `^${literal(app.dir)}/src/`;
    if (app.shared)
      rules.push({
        name: 'shared-imports-only-itself',
        comment: `${app.dir}/src/${app.shared}/ holds what every feature shares: it imports packages, node and third-party modules, nothing else of the app. Move what it needs into ${app.shared}/, or leave the code that needs the app outside it.`,
        severity: 'error',
        from: { path: `${src}${literal(app.shared)}/` },
        to: { path: src, pathNot: `${src}${literal(app.shared)}/` },
      });
    const composition = app.composition ?? [];
    rules.push({
      name: 'no-feature-internals',
      comment: `a feature folder imports another feature's top-level files, never its sub-folders (an adapter's inside). Move what both need to ${app.shared ? `${app.shared}/` : 'a shared folder'}, or pass it in from the composition root.`,
      severity: 'error',
      from: {
        path: `${src}([^/]+)/`,
        ...(composition.length > 0 ? { pathNot: `${src}(${composition.map(literal).join('|')})/` } : {}),
      },
      to: { path: `${src}[^/]+/[^/]+/`, pathNot: `${src}$1/` },
    });
  }
  const names = appNames(layout.root, layout.apps).map(literal);
  rules.push({
    name: 'packages-never-import-apps',
    comment: 'a package never imports an app: what an app and a package share belongs in a package.',
    severity: 'error',
    from: { path: `^(${layout.packages.map(literal).join('|')})/` },
    to: { path: `^(apps/|(${names.join('|')})(/|$))` },
  });
  return rules;
}

/** The top-level part of an app a file belongs to: `licenses/` for src/licenses/x.ts, `app.ts` for src/app.ts. */
function partOf(app: AppLayout, file: string): string | undefined {
  const prefix = `${app.dir}/src/`;
  if (!file.startsWith(prefix)) return undefined;
  const rest = file.slice(prefix.length);
  const slash = rest.indexOf('/');
  return slash === -1 ? rest : rest.slice(0, slash + 1);
}

/** Strongly connected parts (Tarjan): each group of two or more parts that import each other in a circle. */
function circles(graph: Map<string, Set<string>>): string[][] {
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const found: string[][] = [];
  const visit = (part: string) => {
    index.set(part, index.size);
    low.set(part, index.get(part) as number);
    stack.push(part);
    for (const next of graph.get(part) ?? []) {
      if (!index.has(next)) {
        visit(next);
        low.set(part, Math.min(low.get(part) as number, low.get(next) as number));
      } else if (stack.includes(next)) low.set(part, Math.min(low.get(part) as number, index.get(next) as number));
    }
    if (low.get(part) !== index.get(part)) return;
    const group: string[] = [];
    let member: string | undefined;
    do {
      member = stack.pop() as string;
      group.push(member);
    } while (member !== part);
    if (group.length > 1) found.push(group.sort());
  };
  for (const part of [...graph.keys()].sort()) if (!index.has(part)) visit(part);
  return found;
}

/** The shortest way round a circle from its first part back to it, as the list of parts passed. */
function shortestRound(graph: Map<string, Set<string>>, group: readonly string[]): string[] {
  const start = group[0] as string;
  const cameFrom = new Map<string, string>();
  const queue = [start];
  while (queue.length > 0) {
    const part = queue.shift() as string;
    for (const next of [...(graph.get(part) ?? [])].sort()) {
      if (!group.includes(next)) continue;
      if (next === start) {
        const round = [part];
        while (round[0] !== start) round.unshift(cameFrom.get(round[0] as string) as string);
        return [...round, start];
      }
      if (!cameFrom.has(next)) {
        cameFrom.set(next, part);
        queue.push(next);
      }
    }
  }
  return [...group, start];
}

function cycleProblems(
  app: AppLayout,
  modules: ICruiseResult['modules'],
): {
  problems: string[];
  graph: Map<string, Set<string>>;
} {
  const graph = new Map<string, Set<string>>();
  const ties = new Map<string, string[]>();
  for (const module of modules) {
    const from = partOf(app, module.source);
    if (!from) continue;
    for (const dependency of module.dependencies) {
      const to = partOf(app, dependency.resolved);
      if (!to || to === from) continue;
      if (!graph.has(from)) graph.set(from, new Set());
      graph.get(from)?.add(to);
      const key = `${from} -> ${to}`;
      const strip = (file: string) => file.slice(app.dir.length + 5);
      ties.set(key, [...(ties.get(key) ?? []), `${strip(module.source)} -> ${strip(dependency.resolved)}`]);
    }
  }
  const problems = circles(graph).map((group) => {
    const round = shortestRound(graph, group);
    const steps = round.slice(1).map((to, i) => {
      const files = (ties.get(`${round[i]} -> ${to}`) ?? []).sort();
      const shown = files.slice(0, 3).join(', ') + (files.length > 3 ? ` and ${files.length - 3} more` : '');
      return `  ${round[i]} -> ${to}: ${shown}`;
    });
    const more = group.length > round.length - 1 ? ` (the circle takes in ${group.join(', ')})` : '';
    return [
      `import cycle in ${app.dir}/src: ${round.join(' -> ')}${more}. Break it: move what both sides use to a folder neither imports back, or pass it in from the composition root. The imports that tie it:`,
      ...steps,
    ].join('\n');
  });
  return { problems, graph };
}

/**
 * Reads the imports of every app's and package's src/ and returns each layout rule broken, in words
 * that name the files involved.
 *
 * @example
 * ```ts
 * const { problems } = await importBoundaries({ root, apps: [{ dir: 'apps/slack-bot', shared: 'block-kit' }], packages: ['packages/alerts'] })
 * // ['import cycle in apps/slack-bot/src: alerts/ -> licenses/ -> alerts/ …']
 * ```
 */
export async function importBoundaries(layout: Layout): Promise<BoundaryReport> {
  const folders = [...layout.apps.map((app) => app.dir), ...layout.packages]
    .map((dir) => `${dir}/src`)
    .filter((dir) => existsSync(join(layout.root, dir)));
  const cruised = await cruise(
    folders,
    {
      baseDir: layout.root,
      // Type-only imports are imports: a circle of types is still a circle for the next reader.
      tsPreCompilationDeps: true,
      exclude: { path: '\\.test\\.ts$' },
      doNotFollow: { path: ['node_modules', '/dist/'] },
      validate: true,
      ruleSet: { forbidden: forbiddenRules(layout) },
    },
    { extensions: ['.ts', '.js', '.mjs', '.cjs', '.d.ts'] },
  );
  const output = cruised.output as ICruiseResult;
  const problems: string[] = [];
  const partImports = new Map<string, Set<string>>();
  for (const app of layout.apps) {
    const { problems: cycles, graph } = cycleProblems(app, output.modules);
    problems.push(...cycles);
    for (const [from, to] of graph) partImports.set(`${app.dir}:${from}`, to);
  }
  for (const violation of output.summary.violations) {
    const rule = forbiddenRules(layout).find((r) => r.name === violation.rule.name);
    problems.push(`${violation.rule.name}: ${violation.from} -> ${violation.to}: ${rule?.comment ?? ''}`);
  }
  const filesRead = output.modules.filter((m) => folders.some((dir) => m.source.startsWith(`${dir}/`))).length;
  return { problems, partImports, filesRead };
}

/** Every library folder under `packages/` of `root`. */
export function packageFolders(root: string): string[] {
  return readdirSync(join(root, 'packages'), { withFileTypes: true })
    .filter((entry) => entry.isDirectory() && existsSync(join(root, 'packages', entry.name, 'package.json')))
    .map((entry) => `packages/${entry.name}`);
}
