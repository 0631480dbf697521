import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseCommandLine, parseDuration, UsageError, type FlagSpec } from '../../../source/cliOptions.js';

const ROLE: FlagSpec[] = [
  { name: 'role', kind: 'list', valueName: 'R', help: '' },
  { name: 'yes', kind: 'boolean', help: '' },
];
const flagsFor = (words: readonly string[]) => (words[0] === 'users' && words[1] === 'set-roles' ? ROLE : []);
const parse = (...argv: string[]) => parseCommandLine(argv, flagsFor);
const usage = (argv: string[], message: string) =>
  assert.throws(
    () => parse(...argv),
    (err: unknown) => err instanceof UsageError && err.message === message,
  );

describe('parseDuration', () => {
  it('reads kubectl-style durations in milliseconds', () => {
    assert.equal(parseDuration('30s'), 30_000);
    assert.equal(parseDuration('1m'), 60_000);
    assert.equal(parseDuration('500ms'), 500);
    assert.equal(parseDuration('1h'), 3_600_000);
    assert.equal(parseDuration('1m30s'), 90_000);
    assert.equal(parseDuration('1.5s'), 1500);
  });
  it('reads a bare number as seconds', () => {
    assert.equal(parseDuration('45'), 45_000);
    assert.equal(parseDuration('0.25'), 250);
  });
  it('rejects malformed, zero and negative durations', () => {
    for (const bad of ['', 's', '1x', '5 s', '-1s', '1m-', 'abc', '1s2']) {
      assert.throws(() => parseDuration(bad), /invalid duration/, bad);
    }
    assert.throws(() => parseDuration('0'), /must be greater than zero/);
    assert.throws(() => parseDuration('0s'), /must be greater than zero/);
  });
});

describe('parseCommandLine', () => {
  it('has the documented defaults', () => {
    const p = parse('users', 'list');
    assert.deepEqual(p.options, {
      kubeconfig: undefined,
      context: undefined,
      namespace: 'epinio',
      file: undefined,
      demo: false,
      readOnly: false,
      requestTimeoutMs: 30_000,
      output: 'table',
      debug: undefined,
    });
    assert.deepEqual(p.positionals, ['users', 'list']);
    assert.equal(p.help, false);
    assert.equal(p.version, false);
  });

  it('accepts global flags before and after the command, in every spelling', () => {
    const p = parse(
      '-n',
      'ns1',
      'users',
      '-ojson',
      'list',
      '--request-timeout=1m',
      '--kubeconfig',
      '/k',
      '--context=c',
      '--read-only',
      '--debug',
      '/tmp/d',
    );
    assert.equal(p.options.namespace, 'ns1');
    assert.equal(p.options.output, 'json');
    assert.equal(p.options.requestTimeoutMs, 60_000);
    assert.equal(p.options.kubeconfig, '/k');
    assert.equal(p.options.context, 'c');
    assert.equal(p.options.readOnly, true);
    assert.equal(p.options.debug, '/tmp/d');
    assert.deepEqual(p.positionals, ['users', 'list']);
    assert.equal(parse('--output', 'yaml').options.output, 'yaml');
    assert.equal(parse('-nfoo').options.namespace, 'foo');
    assert.equal(parse('--namespace=bar').options.namespace, 'bar');
    assert.equal(parse('--file', 'x.yaml').options.file, 'x.yaml');
    assert.equal(parse('--demo').options.demo, true);
    assert.equal(parse('-h').help, true);
    assert.equal(parse('--version').version, true);
  });

  it('collects repeatable command flags and command booleans', () => {
    const p = parse('users', 'set-roles', 'bob', '--role', 'admin', '--role=user:ws', '--yes');
    assert.deepEqual(p.flags, { role: ['admin', 'user:ws'], yes: true });
    assert.deepEqual(p.positionals, ['users', 'set-roles', 'bob']);
  });

  it('treats everything after -- as arguments', () => {
    assert.deepEqual(parse('users', 'set-roles', '--', '--role').positionals, [
      'users',
      'set-roles',
      '--role',
    ]);
  });

  it('rejects unknown flags, missing values and values on booleans', () => {
    usage(['users', 'list', '--frobnicate'], 'unknown flag --frobnicate');
    usage(['-x'], 'unknown flag -x');
    usage(['--role', 'admin', 'users', 'set-roles'], 'unknown flag --role');
    usage(['--namespace'], 'flag --namespace needs a value (NS)');
    usage(['users', 'set-roles', 'bob', '--role'], 'flag --role needs a value (R)');
    usage(['--demo=yes'], 'flag --demo takes no value');
  });

  it('rejects bad values of global flags', () => {
    usage(
      ['-o', 'xml'],
      'invalid value "xml" for --output (choose table, json or yaml; csv for users report)',
    );
    usage(
      ['--request-timeout', '10x'],
      'invalid duration "10x" (use e.g. 30s, 1m, 500ms, or a number of seconds) for --request-timeout',
    );
    usage(['--request-timeout=0'], 'invalid duration "0": must be greater than zero for --request-timeout');
    usage(
      ['-n', 'Bad_NS'],
      `invalid namespace "Bad_NS" (a Kubernetes namespace is lower-case letters, digits and '-')`,
    );
    usage(['--file', ''], 'flag --file needs a non-empty value');
    usage(['--file', 'a.yaml', '--demo'], '--file and --demo cannot be used together');
    usage(['--demo', '--context', 'c'], '--context applies to a cluster and cannot be combined with --demo');
    usage(
      ['--file', 'a.yaml', '--kubeconfig', 'k'],
      '--kubeconfig applies to a cluster and cannot be combined with --file',
    );
  });
});
