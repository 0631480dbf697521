// `completion bash|zsh|fish` prints the script; `__complete KIND` (hidden) prints the dynamic
// values one per line, read from the context the command line names (its global flags). The
// scripts hold the command table's words and flags (completionModel.ts), so commands and flags
// complete without starting Node; only connector ids, usernames, Dex local users, backups and
// kubeconfig contexts ask the tool, when their turn comes.
import { GLOBAL_FLAGS } from '../cliOptions.js';
import { DexConfigDocument } from '../domain/dexConfig.js';
import { CONFIG_KEY } from '../domain/names.js';
import { sanitizeForTerminal } from '../domain/sanitize.js';
import { usersFromSecrets } from '../domain/users.js';
import { EXIT } from './exitCodes.js';
import { CommandError, type CommandContext } from './context.js';
import { completionModel, DYNAMIC_KINDS, type CompletionModel, type Source } from './completionModel.js';
import type { CommandSpec } from './types.js';

const PROGRAMS = ['epinio-dex-admin', 'kubectl-epinio_dex'];
/** Global flags whose values choose the context: passed on to `__complete`. */
const CONTEXT_FLAGS = ['--kubeconfig', '--context', '-n', '--namespace', '--file', '--request-timeout'];

export async function run(ctx: CommandContext): Promise<number> {
  if (ctx.spec.path[0] === '__complete') return values(ctx);
  const shell = ctx.args[0];
  const script = { bash: bashScript, zsh: zshScript, fish: fishScript }[shell ?? ''];
  if (!script) throw new CommandError(`unknown shell "${shell}" (choose bash, zsh or fish)`, EXIT.usage);
  if (!ctx.table) throw new Error('completion needs the command table');
  ctx.io.stdout.write(script(completionModel(ctx.table), ctx.table.commands));
  return EXIT.ok;
}

async function values(ctx: CommandContext): Promise<number> {
  const kind = ctx.args[0];
  if (!(DYNAMIC_KINDS as readonly string[]).includes(kind))
    throw new CommandError(`unknown kind "${kind}" (choose ${DYNAMIC_KINDS.join(', ')})`, EXIT.usage);
  let list: string[];
  if (kind === 'contexts') {
    const { listContexts } = await import('../store/connect.js');
    list = (await listContexts({ kubeconfig: ctx.options.kubeconfig })).map((c) => c.name);
  } else if (kind === 'backups') {
    list = (await (await ctx.openStore()).listBackups()).map((b) => b.id);
  } else if (kind === 'users') {
    const store = await ctx.openStore();
    list = usersFromSecrets(await store.listUsers()).map((u) => u.username);
  } else {
    // One read of dex-config, not the whole snapshot: a TAB should cost one request.
    const text = (await (await ctx.openStore()).getDexConfig()).data[CONFIG_KEY] ?? '';
    let doc: DexConfigDocument | undefined;
    try {
      doc = DexConfigDocument.parse(text);
    } catch {
      doc = undefined; // nothing to offer from a config.yaml that does not parse
    }
    list =
      kind === 'connectors'
        ? (doc?.connectors().map((c) => c.id) ?? [])
        : (doc?.staticPasswords().map((s) => s.email) ?? []);
  }
  // A value with a line break or an escape would break the script's word list or the terminal.
  const safe = list.filter((v) => v !== '' && !/[\s]/.test(v) && sanitizeForTerminal(v) === v);
  ctx.io.stdout.write(safe.map((v) => `${v}\n`).join(''));
  return EXIT.ok;
}

/** A source as one word the scripts decode: dyn:KIND, files, words:a,b, none. */
function encode(s: Source): string {
  if ('dynamic' in s) return `dyn:${s.dynamic}`;
  if ('files' in s) return 'files';
  if ('words' in s) return `words:${s.words.join(',')}`;
  return 'none';
}

const sq = (s: string): string => `'${s.replace(/'/g, `'\\''`)}'`;
const fq = (s: string): string => `'${s.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;

const HEADER = (shell: string, load: string) =>
  [
    `# ${shell} completion for epinio-dex-admin (and kubectl-epinio_dex), generated from its command table`,
    `# by \`epinio-dex-admin completion ${shell}\`. Load it with: ${load}`,
    '# Connector ids, usernames, Dex local users, backups and contexts are asked for when needed',
    "# (`epinio-dex-admin __complete KIND` with the line's --kubeconfig/--context/-n/--file).",
  ].join('\n');

function assoc(name: string, entries: [string, string][], shell: 'bash' | 'zsh'): string {
  if (shell === 'bash')
    return `declare -gA ${name}=(\n${entries.map(([k, v]) => `  [${sq(k)}]=${sq(v)}`).join('\n')}\n)`;
  return `typeset -gA ${name}\n${name}=(\n${entries.map(([k, v]) => `  ${sq(k)} ${sq(v)}`).join('\n')}\n)`;
}

function tables(m: CompletionModel, shell: 'bash' | 'zsh'): string {
  return [
    `_eda_top=${sq(m.top.map((t) => t.word).join(' '))}`,
    `_eda_global=${sq(m.globalFlags.join(' '))}`,
    `_eda_valueflags=${sq(` ${m.valueFlags.join(' ')} `)}`,
    assoc(
      '_eda_subs',
      Object.entries(m.subs).map(([g, s]) => [g, s.map((x) => x.word).join(' ')]),
      shell,
    ),
    assoc(
      '_eda_flags',
      Object.entries(m.commands).map(([c, v]) => [c, v.flags.join(' ')]),
      shell,
    ),
    assoc(
      '_eda_args',
      Object.entries(m.commands).map(([c, v]) => [c, v.args.map(encode).join(' ')]),
      shell,
    ),
    assoc(
      '_eda_fvals',
      Object.entries(m.flagValues).map(([f, s]) => [f, encode(s)]),
      shell,
    ),
  ].join('\n');
}

function bashScript(m: CompletionModel): string {
  return `${HEADER('bash', 'source <(epinio-dex-admin completion bash)')}
${tables(m, 'bash')}

_eda_source() {
  local src=$1 cur=$2 IFS=$'\\n'
  case $src in
    dyn:*) COMPREPLY=($(compgen -W "$("$_eda_prog" __complete "\${src#dyn:}" "\${_eda_ctx[@]}" 2>/dev/null)" -- "$cur")) ;;
    files) compopt -o filenames 2>/dev/null; COMPREPLY=($(compgen -f -- "$cur")) ;;
    words:*) IFS=','; COMPREPLY=($(compgen -W "\${src#words:}" -- "$cur")) ;;
    *) COMPREPLY=() ;;
  esac
}

_eda_complete() {
  local cur=\${COMP_WORDS[COMP_CWORD]} prev=\${COMP_WORDS[COMP_CWORD-1]} i w cmd='' n=0
  local -a pos=() ctx=()
  for ((i = 1; i < COMP_CWORD; i++)); do
    w=\${COMP_WORDS[i]}
    case $w in
      ${CONTEXT_FLAGS.join('|')}) ctx+=("$w" "\${COMP_WORDS[i+1]}"); ((i++)); continue ;;
      --demo) ctx+=("$w"); continue ;;
    esac
    if [[ $_eda_valueflags == *" $w "* ]]; then ((i++)); elif [[ $w != -* ]]; then pos+=("$w"); fi
  done
  _eda_ctx=("\${ctx[@]}")
  _eda_prog=\${COMP_WORDS[0]}
  if ((\${#pos[@]} >= 2)) && [[ -n \${_eda_flags["\${pos[0]} \${pos[1]}"]+set} ]]; then
    cmd="\${pos[0]} \${pos[1]}"; n=$((\${#pos[@]} - 2))
  elif ((\${#pos[@]} >= 1)) && [[ -n \${_eda_flags["\${pos[0]}"]+set} ]]; then
    cmd=\${pos[0]}; n=$((\${#pos[@]} - 1))
  fi
  if ((COMP_CWORD > 1)) && [[ $_eda_valueflags == *" $prev "* ]]; then
    _eda_source "\${_eda_fvals[$prev]:-none}" "$cur"
    return
  fi
  if [[ $cur == -* ]]; then
    COMPREPLY=($(compgen -W "$_eda_global \${cmd:+\${_eda_flags[$cmd]}}" -- "$cur"))
    return
  fi
  if [[ -z $cmd ]]; then
    if ((\${#pos[@]} == 0)); then
      COMPREPLY=($(compgen -W "$_eda_top" -- "$cur"))
    elif ((\${#pos[@]} == 1)) && [[ -n \${_eda_subs[\${pos[0]}]+set} ]]; then
      COMPREPLY=($(compgen -W "\${_eda_subs[\${pos[0]}]}" -- "$cur"))
    fi
    return
  fi
  local -a srcs=(\${_eda_args[$cmd]})
  _eda_source "\${srcs[n]:-none}" "$cur"
}

complete -F _eda_complete ${PROGRAMS.join(' ')}
`;
}

function zshScript(m: CompletionModel): string {
  return `#compdef ${PROGRAMS.join(' ')}
${HEADER('zsh', 'source <(epinio-dex-admin completion zsh)  (after compinit)')}
${tables(m, 'zsh')}
_eda_top_desc=(
${m.top.map((t) => `  ${sq(`${t.word}:${t.summary}`)}`).join('\n')}
)

_eda_zsh_source() {
  local -a vals
  case $1 in
    dyn:*) vals=(\${(f)"$($_eda_prog __complete \${1#dyn:} \${_eda_ctx[@]} 2>/dev/null)"}); compadd -a vals ;;
    files) _files ;;
    words:*) vals=(\${(s:,:)\${1#words:}}); compadd -a vals ;;
  esac
}

_epinio_dex_admin() {
  local cur=\${words[CURRENT]} prev=\${words[CURRENT-1]} i w cmd='' n=0
  local -a pos ctx srcs vals
  for ((i = 2; i < CURRENT; i++)); do
    w=\${words[i]}
    case $w in
      (${CONTEXT_FLAGS.join('|')}) ctx+=($w \${words[i+1]}); ((i++)); continue ;;
      (--demo) ctx+=($w); continue ;;
    esac
    if [[ $_eda_valueflags == *" $w "* ]]; then ((i++)); elif [[ $w != -* ]]; then pos+=($w); fi
  done
  _eda_ctx=($ctx)
  _eda_prog=\${words[1]}
  if (( \${#pos} >= 2 )) && (( \${+_eda_flags[\${pos[1]} \${pos[2]}]} )); then
    cmd="\${pos[1]} \${pos[2]}"; n=$(( \${#pos} - 2 ))
  elif (( \${#pos} >= 1 )) && (( \${+_eda_flags[\${pos[1]}]} )); then
    cmd=\${pos[1]}; n=$(( \${#pos} - 1 ))
  fi
  if (( CURRENT > 2 )) && [[ $_eda_valueflags == *" $prev "* ]]; then
    _eda_zsh_source "\${_eda_fvals[$prev]:-none}"
    return
  fi
  if [[ $cur == -* ]]; then
    vals=(\${=_eda_global})
    [[ -n $cmd ]] && vals+=(\${=_eda_flags[$cmd]})
    compadd -a vals
    return
  fi
  if [[ -z $cmd ]]; then
    if (( \${#pos} == 0 )); then
      _describe command _eda_top_desc
    elif (( \${#pos} == 1 )) && (( \${+_eda_subs[\${pos[1]}]} )); then
      vals=(\${=_eda_subs[\${pos[1]}]}); compadd -a vals
    fi
    return
  fi
  srcs=(\${=_eda_args[$cmd]})
  _eda_zsh_source "\${srcs[n+1]:-none}"
}

compdef _epinio_dex_admin ${PROGRAMS.join(' ')}
`;
}

function fishScript(m: CompletionModel, commands: readonly CommandSpec[]): string {
  const lines: string[] = [];
  const c = (rest: string) => lines.push(`    complete -c $__eda_c ${rest}`);
  const valueArgs = (s: Source | undefined): string => {
    if (!s) return '-x';
    if ('files' in s) return '-r -F';
    if ('dynamic' in s) return `-x -a ${fq(`(__eda_dyn ${s.dynamic})`)}`;
    if ('words' in s) return `-x -a ${fq(s.words.join(' '))}`;
    return '-x';
  };
  const flag = (form: string) => (form.startsWith('--') ? `-l ${form.slice(2)}` : `-s ${form.slice(1)}`);
  const BY_COMMAND = commands.filter((x) => !x.hidden).map((x) => [x.path.join(' '), x.flags] as const);
  c('-f');
  for (const t of m.top) c(`-n __eda_at_top -a ${fq(t.word)} -d ${fq(t.summary)}`);
  for (const [g, subs] of Object.entries(m.subs))
    for (const s of subs) c(`-n ${fq(`__eda_at_group ${g}`)} -a ${fq(s.word)} -d ${fq(s.summary)}`);
  for (const f of GLOBAL_FLAGS) {
    const forms = [`--${f.name}`, ...(f.short ? [`-${f.short}`] : [])];
    c(
      `${forms.map(flag).join(' ')} ${f.kind === 'boolean' ? '' : `${valueArgs(m.flagValues[forms[0]])} `}-d ${fq(f.help)}`,
    );
  }
  for (const [cmd, flags] of BY_COMMAND) {
    for (const f of flags) {
      const forms = [`--${f.name}`, ...(f.short ? [`-${f.short}`] : [])];
      c(
        `-n ${fq(`__eda_is_cmd '${cmd}'`)} ${forms.map(flag).join(' ')} ${f.kind === 'boolean' ? '' : `${valueArgs(m.flagValues[forms[0]])} `}-d ${fq(f.help)}`,
      );
    }
    m.commands[cmd]!.args.forEach((s, i) => {
      if ('none' in s) return;
      const values = 'files' in s ? '-F' : valueArgs(s).replace(/^-x /, '');
      c(`-n ${fq(`__eda_argn '${cmd}' ${i}`)} ${values}`);
    });
  }
  return `${HEADER('fish', 'epinio-dex-admin completion fish | source')}
set -g __eda_valueflags ${m.valueFlags.map(fq).join(' ')}
set -g __eda_commands ${Object.keys(m.commands).map(fq).join(' ')}

function __eda_pos --description 'the positional words of the line, flag values skipped'
    set -l toks (commandline -opc)
    set -e toks[1]
    set -l skip 0
    for t in $toks
        if test $skip = 1
            set skip 0
            continue
        end
        if contains -- $t $__eda_valueflags
            set skip 1
            continue
        end
        string match -q -- '-*' $t; and continue
        echo $t
    end
end

function __eda_ctx --description 'the global flags that choose the context'
    set -l toks (commandline -opc)
    set -e toks[1]
    for i in (seq (count $toks))
        switch $toks[$i]
            case ${CONTEXT_FLAGS.join(' ')}
                if test $i -lt (count $toks)
                    echo $toks[$i]
                    echo $toks[(math $i + 1)]
                end
            case --demo
                echo --demo
        end
    end
end

function __eda_cmd
    set -l pos (__eda_pos)
    if test (count $pos) -ge 2; and contains -- "$pos[1] $pos[2]" $__eda_commands
        echo "$pos[1] $pos[2]"
    else if test (count $pos) -ge 1; and contains -- "$pos[1]" $__eda_commands
        echo $pos[1]
    end
end

function __eda_is_cmd --argument-names want
    test "$(__eda_cmd)" = "$want"
end

function __eda_at_top
    test (count (__eda_pos)) -eq 0
end

function __eda_at_group --argument-names group
    set -l pos (__eda_pos)
    test (count $pos) -eq 1; and test "$pos[1]" = "$group"
end

function __eda_argn --argument-names want n
    set -l cmd (__eda_cmd)
    test "$cmd" = "$want"; or return 1
    test (math (count (__eda_pos)) - (count (string split ' ' -- $cmd))) -eq $n
end

function __eda_dyn --argument-names kind
    set -l prog (commandline -opc)[1]
    $prog __complete $kind (__eda_ctx) 2>/dev/null
end

for __eda_c in ${PROGRAMS.join(' ')}
${lines.join('\n')}
end
`;
}
