// The completion scripts in the real shells: bash always (the completion function driven through
// COMP_WORDS/COMP_CWORD, as bash's readline calls it, after `complete -p` shows it registered);
// zsh and fish when installed (fish through its own `complete -C`; zsh with compadd/_describe
// recorded, since zsh's completion widgets need a terminal). Dynamic values come from the real CLI
// (`__complete`) reading a manifest file. What they offer is compared with the command table.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { chmodSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { before, describe, it } from 'node:test';
import { GLOBAL_FLAGS } from '../../../source/cliOptions.js';
import { COMMANDS, GROUPS } from '../../../source/commands/specs.js';
import { FIXTURE, ROOT, run } from './harness.js';

const BIN = mkdtempSync(join(tmpdir(), 'eda-completion-'));
// The program the scripts call for dynamic values: the CLI from source.
writeFileSync(
  join(BIN, 'epinio-dex-admin'),
  `#!/bin/sh\nexec "${process.execPath}" --import tsx "${join(ROOT, 'test/unit/cli/entry.ts')}" "$@"\n`,
);
chmodSync(join(BIN, 'epinio-dex-admin'), 0o755);
const env = { ...process.env, PATH: `${BIN}:${process.env.PATH}`, HOME: BIN };
const has = (shell: string) => spawnSync(shell, ['-c', 'true']).status === 0;

const TOP = [
  ...COMMANDS.filter((c) => c.path.length === 1 && !c.hidden).map((c) => c.path[0]),
  ...GROUPS.map((g) => g.name),
];
const subs = (group: string) => COMMANDS.filter((c) => c.path[0] === group).map((c) => c.path[1]);
const flagsOf = (path: string) => {
  const spec = COMMANDS.find((c) => c.path.join(' ') === path)!;
  return [...GLOBAL_FLAGS, ...spec.flags].flatMap((f) => [
    `--${f.name}`,
    ...(f.short ? [`-${f.short}`] : []),
  ]);
};
const sorted = (xs: readonly string[]) => [...xs].sort();

async function script(shell: string): Promise<string> {
  const r = await run(['completion', shell]);
  assert.equal(r.code, 0, r.stderr);
  return r.stdout;
}

describe('bash completion (real bash)', () => {
  let text: string;
  before(async () => {
    text = await script('bash');
  });
  /** What bash offers for the line (the last word is the one being completed). */
  function complete(...words: string[]): string[] {
    const r = spawnSync(
      'bash',
      [
        '-c',
        `${text}\nCOMP_WORDS=("$@"); COMP_CWORD=$((\${#COMP_WORDS[@]} - 1)); _eda_complete; printf '%s\\n' "\${COMPREPLY[@]}"`,
        'bash',
        'epinio-dex-admin',
        ...words,
      ],
      { encoding: 'utf8', env },
    );
    assert.equal(r.stderr, '');
    assert.equal(r.status, 0);
    return r.stdout.split('\n').filter(Boolean);
  }

  it('registers for both program names', () => {
    const r = spawnSync('bash', ['-c', `${text}\ncomplete -p epinio-dex-admin kubectl-epinio_dex`], {
      encoding: 'utf8',
    });
    assert.equal(
      r.stdout,
      'complete -F _eda_complete epinio-dex-admin\ncomplete -F _eda_complete kubectl-epinio_dex\n',
    );
  });

  it('offers the command table: first words, subcommands, flags (never the hidden __complete)', () => {
    assert.deepEqual(sorted(complete('')), sorted(TOP));
    assert.equal(complete('').includes('__complete'), false);
    assert.deepEqual(complete('con'), ['connectors']);
    for (const g of GROUPS) assert.deepEqual(sorted(complete(g.name, '')), sorted(subs(g.name)), g.name);
    for (const path of ['users set-password', 'connectors add', 'apply', 'diff']) {
      assert.deepEqual(sorted(complete(...path.split(' '), '-')), sorted(flagsOf(path)), path);
    }
    assert.deepEqual(complete('apply', '--d'), ['--demo', '--debug', '--dry-run']);
  });

  it('fixed values, and a flag value is never read as a positional', () => {
    assert.deepEqual(complete('-o', ''), ['table', 'json', 'yaml', 'csv']);
    assert.deepEqual(complete('completion', ''), ['bash', 'zsh', 'fish']);
    assert.deepEqual(complete('mappings', 'simulate', '--semantics', 'l'), ['legacy']);
    assert.deepEqual(complete('-n', 'epinio', 'users', 'rep'), ['report']);
    assert.ok(complete('connectors', 'add', '').includes('oidc'));
  });

  it("connector ids, usernames and Dex local users from the line's context (--file), lazily", () => {
    assert.deepEqual(complete('connectors', 'show', '--file', FIXTURE, ''), ['github', 'ldap']);
    assert.deepEqual(complete('--file', FIXTURE, 'users', 'set-password', 'a'), ['admin']);
    assert.deepEqual(complete('--file', FIXTURE, 'dex-users', 'remove', ''), [
      'admin@epinio.io',
      'ops@example.com',
    ]);
    assert.deepEqual(complete('--file', FIXTURE, 'mappings', 'simulate', '--connector', 'l'), ['ldap']);
    assert.deepEqual(complete('--file', FIXTURE, 'connectors', 'show', 'github', ''), [], 'one ID only');
  });

  it('files for -f', () => {
    const dir = mkdtempSync(join(tmpdir(), 'eda-files-'));
    writeFileSync(join(dir, 'dex-config.yaml'), '');
    assert.deepEqual(complete('diff', '-f', join(dir, 'dex')), [join(dir, 'dex-config.yaml')]);
  });
});

describe(
  'zsh completion (real zsh, compadd recorded)',
  { skip: has('zsh') ? false : 'zsh is not installed' },
  () => {
    it('parses, registers with compdef, and offers the same words as bash', async () => {
      const text = await script('zsh');
      assert.equal(spawnSync('zsh', ['-n', '-c', text]).status, 0);
      const complete = (...words: string[]) => {
        const r = spawnSync(
          'zsh',
          [
            '-c',
            `compdef() { print -r -- "compdef $*" }
compadd() { [[ $1 == -a ]] && print -rl -- \${(P)2} }
_describe() { print -rl -- \${\${(P)2}%%:*} }
_files() { print files }
${text}
words=("$@"); CURRENT=\${#words}; _epinio_dex_admin`,
            'epinio-dex-admin',
            ...words,
          ],
          { encoding: 'utf8', env },
        );
        assert.equal(r.stderr, '');
        return r.stdout.split('\n').filter(Boolean);
      };
      assert.deepEqual(complete('epinio-dex-admin', ''), [
        'compdef _epinio_dex_admin epinio-dex-admin kubectl-epinio_dex',
        ...TOP,
      ]);
      const strip = (xs: string[]) => xs.filter((x) => !x.startsWith('compdef '));
      assert.deepEqual(strip(complete('epinio-dex-admin', 'users', '')), subs('users'));
      assert.deepEqual(sorted(strip(complete('epinio-dex-admin', 'apply', '-'))), sorted(flagsOf('apply')));
      assert.deepEqual(strip(complete('epinio-dex-admin', 'connectors', 'show', '--file', FIXTURE, '')), [
        'github',
        'ldap',
      ]);
      assert.deepEqual(strip(complete('epinio-dex-admin', 'diff', '-f', '')), ['files']);
    });
  },
);

describe(
  'fish completion (real fish, complete -C)',
  { skip: has('fish') ? false : 'fish is not installed' },
  () => {
    it('offers the command table with descriptions, flags and connector ids', async () => {
      const text = await script('fish');
      const file = join(BIN, 'completion.fish');
      writeFileSync(file, text);
      const complete = (line: string) => {
        const r = spawnSync('fish', ['-c', `source ${file}; complete -C ${JSON.stringify(line)}`], {
          encoding: 'utf8',
          env,
        });
        assert.equal(r.stderr, '');
        return r.stdout.split('\n').filter(Boolean);
      };
      assert.deepEqual(sorted(complete('epinio-dex-admin ').map((l) => l.split('\t')[0])), sorted(TOP));
      assert.ok(complete('epinio-dex-admin us').includes('users\tEpinio users (user Secrets)'));
      assert.deepEqual(
        sorted(complete('epinio-dex-admin users ').map((l) => l.split('\t')[0])),
        sorted(subs('users')),
      );
      assert.deepEqual(
        complete('epinio-dex-admin apply --d').map((l) => l.split('\t')[0]),
        ['--debug', '--demo', '--dry-run'],
      );
      assert.deepEqual(complete(`epinio-dex-admin connectors show --file ${FIXTURE} `), ['github', 'ldap']);
    });
  },
);

describe('__complete', () => {
  it('prints one value per line; an unknown kind or shell is a usage error', async () => {
    assert.deepEqual(await run(['__complete', 'connectors', '--file', FIXTURE]), {
      code: 0,
      stdout: 'github\nldap\n',
      stderr: '',
    });
    const bad = await run(['__complete', 'nope', '--file', FIXTURE]);
    assert.equal(bad.code, 2);
    assert.equal(
      bad.stderr.split('\n')[0],
      'error: unknown kind "nope" (choose connectors, users, dex-users, backups, contexts)',
    );
    const shell = await run(['completion', 'tcsh']);
    assert.equal(shell.code, 2);
    assert.equal(shell.stderr.split('\n')[0], 'error: unknown shell "tcsh" (choose bash, zsh or fish)');
    const help = await run(['--help']);
    assert.equal(help.stdout.includes('__complete'), false, 'hidden from help');
  });
});
