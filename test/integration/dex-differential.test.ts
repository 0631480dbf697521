// Differential tests, the tool against the real Dex: every config.yaml of
// test/fixtures/dex-differential goes to `dex serve` (memory storage, loopback, with a real slapd
// and a stand-in OIDC discovery endpoint) and to the tool's `validate --file`. Dex's outcome must
// be the one recorded beside the case, and the tool must agree with it: no error when Dex works,
// an error with the recorded code that says what Dex does when it does not (see CONSEQUENCE).
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { CONNECTOR_SCHEMAS } from '../../source/domain/connectorSchemas.js';
import { ensureDex } from '../stack/dex.js';
import {
  disagreements,
  observeDex,
  parseCase,
  startServices,
  toolVerdict,
  type DifferentialCase,
  type Services,
} from './lib/dexDifferential.js';

const DIR = new URL('../fixtures/dex-differential/', import.meta.url).pathname;
const FILES = readdirSync(DIR)
  .filter((n) => n.endsWith('.yaml'))
  .sort();
const CASES = FILES.map((f) => parseCase(join(DIR, f)));
// Their connectors call out at startup (Google's discovery, OpenShift's API server): nothing on
// loopback can answer as they do, so the corpus leaves them out rather than fake them.
const NETWORK_ONLY = new Set(['google', 'openshift']);

let services: Services & { stop(): Promise<void> };
before(async () => {
  await ensureDex();
  services = await startServices();
});
after(async () => {
  await services?.stop();
});

describe('differential corpus: the corpus', () => {
  it('has at least 60 cases, each outcome, and every connector type Dex can open offline', () => {
    assert.ok(CASES.length >= 60, `only ${CASES.length} cases`);
    for (const outcome of ['ok', 'exits', 'connector-fails', 'login-fails'])
      assert.ok(
        CASES.some((c) => c.expected.dex === outcome),
        `no case where Dex ${outcome}`,
      );
    const types = new Set(
      FILES.flatMap((f) => [...readFileSync(join(DIR, f), 'utf8').matchAll(/type: (\S+)/g)].map((m) => m[1])),
    );
    for (const s of CONNECTOR_SCHEMAS)
      if (!NETWORK_ONLY.has(s.type)) assert.ok(types.has(s.type), `no case with a ${s.type} connector`);
  });
});

describe('differential corpus: the tool agrees with the real Dex', { concurrency: 2 }, () => {
  for (const c of CASES) {
    it(`${c.name}: Dex ${c.expected.dex}${c.expected.tool ? `, the tool reports ${c.expected.tool}` : ', the tool reports no error'}`, async () => {
      const [dex, tool] = await Promise.all([observeDex(c, services), toolVerdict(c, services)]);
      assert.deepEqual(disagreements(c, dex, tool), []);
    });
  }
});

describe('differential corpus: the harness itself', () => {
  const byName = (name: string): DifferentialCase => {
    const c = CASES.find((x) => x.name.endsWith(name));
    assert.ok(c, `no case ${name}`);
    return c;
  };

  it('fails when the tool reports nothing while Dex exits (a deliberately wrong tool verdict)', async () => {
    const c = byName('top-no-issuer');
    const dex = await observeDex(c, services);
    assert.equal(dex.outcome, 'exits');
    const found = disagreements(c, dex, { errors: [] });
    assert.equal(found.length, 1);
    assert.match(
      found[0]!,
      /^Dex exits \(.*no issuer specified in config file.*\), but the tool has no config\.issuer error$/s,
    );
  });

  it('fails when the tool names the cause but the wrong consequence', async () => {
    const c = byName('github-orgs-string');
    const dex = await observeDex(c, services);
    assert.equal(dex.outcome, 'exits');
    const wrong = {
      errors: [
        {
          code: 'connector.type',
          path: 'connectors[0].config.orgs',
          message: 'orgs must be a list: Dex starts without this connector.',
        },
      ],
    };
    const found = disagreements(c, dex, wrong);
    assert.equal(found.length, 1);
    assert.match(found[0]!, /^Dex exits, but the tool's connector\.type message does not say so/);
  });

  it('fails when the tool reports an error while Dex works', async () => {
    const c = byName('top-base');
    const dex = await observeDex(c, services);
    assert.equal(dex.outcome, 'ok');
    const found = disagreements(c, dex, {
      errors: [{ code: 'config.issuer', path: 'issuer', message: 'invented: Dex refuses to start.' }],
    });
    assert.deepEqual(found, [
      'Dex works, but the tool reports errors:\n  config.issuer at issuer: invented: Dex refuses to start.',
    ]);
  });

  it('fails when the recorded Dex outcome is not what Dex does (the record cannot rot)', async () => {
    const c = byName('top-no-issuer');
    const rotten: DifferentialCase = { ...c, expected: { dex: 'ok' } };
    const dex = await observeDex(rotten, services);
    const found = disagreements(rotten, dex, await toolVerdict(rotten, services));
    assert.match(found[0]!, /^the record says Dex ok, but Dex exits: /);
  });
});
