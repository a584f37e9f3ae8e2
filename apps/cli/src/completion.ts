import type { Command, Option } from 'commander';

/** Shells `licensewatch completion` writes scripts for. */
export const SHELLS = ['bash', 'zsh', 'fish'] as const;
export type Shell = (typeof SHELLS)[number];

interface Flag {
  name: string;
  description: string;
  takesValue: boolean;
  choices: readonly string[] | undefined;
}

interface Subcommand {
  name: string;
  description: string;
  flags: Flag[];
  /** Choices of its first argument (e.g. the shell of `completion`). */
  argumentChoices: readonly string[] | undefined;
}

const flagOf = (option: Option): Flag => ({
  name: option.long ?? option.short ?? '',
  description: option.description,
  takesValue: option.required || option.optional,
  choices: option.argChoices,
});

/** The program's commands and their options, read from commander: the scripts never drift from the CLI. */
function describeProgram(program: Command): { globals: Flag[]; commands: Subcommand[] } {
  const help = program.createHelp();
  return {
    globals: help.visibleOptions(program).map(flagOf),
    commands: program.commands.map((command) => ({
      name: command.name(),
      description: command.description(),
      flags: help.visibleOptions(command).map(flagOf),
      argumentChoices: command.registeredArguments[0]?.argChoices,
    })),
  };
}

const words = (list: readonly string[]) => list.join(' ');

function bash(name: string, program: ReturnType<typeof describeProgram>): string {
  const fn = `_${name.replace(/\W/g, '_')}`;
  const perCommand = program.commands
    .map(
      (c) => `    ${c.name}) opts="${words(c.flags.map((f) => f.name))}"; args="${words(c.argumentChoices ?? [])}" ;;`,
    )
    .join('\n');
  const valueFlags = program.commands.flatMap((c) => c.flags.filter((f) => f.takesValue));
  const choiceCases = [...new Map(valueFlags.map((f) => [f.name, f])).values()]
    .map((f) => `    ${f.name}) COMPREPLY=($(compgen -W "${words(f.choices ?? [])}" -- "$cur")); return ;;`)
    .join('\n');
  return `# bash completion for ${name}: source it, e.g. from ~/.bashrc:  source <(${name} completion bash)
${fn}() {
  local cur prev opts args
  cur="\${COMP_WORDS[COMP_CWORD]}"
  prev="\${COMP_WORDS[COMP_CWORD-1]}"
  if [ "$COMP_CWORD" -eq 1 ]; then
    COMPREPLY=($(compgen -W "${words(program.commands.map((c) => c.name))} ${words(program.globals.map((f) => f.name))}" -- "$cur"))
    return
  fi
  case "$prev" in
${choiceCases}
  esac
  opts=""; args=""
  case "\${COMP_WORDS[1]}" in
${perCommand}
  esac
  COMPREPLY=($(compgen -W "$opts $args" -- "$cur"))
}
complete -o default -F ${fn} ${name}
`;
}

const zshQuote = (text: string) => text.replace(/'/g, `'\\''`).replace(/([[\]:])/g, '\\$1');

function zsh(name: string, program: ReturnType<typeof describeProgram>): string {
  const fn = `_${name.replace(/\W/g, '_')}`;
  const commandList = program.commands.map((c) => `    '${c.name}:${zshQuote(c.description)}'`).join('\n');
  const perCommand = program.commands
    .map((c) => {
      const specs = c.flags.map((f) => {
        const value = f.takesValue ? `:value:${f.choices ? `(${words(f.choices)})` : ''}` : '';
        return `'${f.name}[${zshQuote(f.description)}]${value}'`;
      });
      if (c.argumentChoices) specs.push(`'1:argument:(${words(c.argumentChoices)})'`);
      return `    ${c.name}) _arguments ${specs.join(' ')} ;;`;
    })
    .join('\n');
  return `#compdef ${name}
# zsh completion for ${name}: put it on $fpath as _${name}, or:  source <(${name} completion zsh)
${fn}() {
  local -a commands
  commands=(
${commandList}
  )
  if (( CURRENT == 2 )); then
    _describe 'command' commands
    return
  fi
  shift words
  (( CURRENT-- ))
  case $words[1] in
${perCommand}
  esac
}
compdef ${fn} ${name}
`;
}

const fishQuote = (text: string) => `'${text.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;

function fish(name: string, program: ReturnType<typeof describeProgram>): string {
  const lines = [
    `# fish completion for ${name}: ${name} completion fish > ~/.config/fish/completions/${name}.fish`,
    `complete -c ${name} -f`,
  ];
  for (const c of program.commands) {
    lines.push(`complete -c ${name} -n __fish_use_subcommand -a ${c.name} -d ${fishQuote(c.description)}`);
    const when = `-n '__fish_seen_subcommand_from ${c.name}'`;
    for (const f of c.flags) {
      const long = f.name.replace(/^--/, '');
      const value = f.choices ? ` -xa ${fishQuote(words(f.choices))}` : f.takesValue ? ' -r' : '';
      lines.push(`complete -c ${name} ${when} -l ${long}${value} -d ${fishQuote(f.description)}`);
    }
    if (c.argumentChoices) lines.push(`complete -c ${name} ${when} -a ${fishQuote(words(c.argumentChoices))}`);
  }
  return `${lines.join('\n')}\n`;
}

/**
 * A completion script for `shell`, generated from the program's commands, options and choices.
 *
 * @example
 * ```ts
 * process.stdout.write(completionScript('bash', program))
 * ```
 */
export function completionScript(shell: Shell, program: Command): string {
  const described = describeProgram(program);
  const name = program.name();
  if (shell === 'bash') return bash(name, described);
  if (shell === 'zsh') return zsh(name, described);
  return fish(name, described);
}
