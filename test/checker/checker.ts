// Runs the Go reference checker (test/checker/go): Epinio's yaml.v2 + structs for rolesMapping,
// golang.org/x/crypto/bcrypt for hashes, Dex's own connector config types for config.yaml. Tests
// feed it what our TypeScript writes, so "valid" means "valid for the real consumers".
import { spawn } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { cacheBase, ensureGoBinaries } from '../stack/gobuild.js';

const MODULE_DIR = join(dirname(fileURLToPath(import.meta.url)), 'go');

export interface CheckerInput {
  rolesMapping?: string;
  bcrypt?: { hash: string; password: string }[];
  dexConfig?: string;
  /** Roles as Epinio computes them at an OIDC request (evaluate.go). */
  evaluate?: CheckerEvaluation[];
}

export interface CheckerEvaluation {
  rolesMapping: string;
  connectorId: string;
  groups: string[];
  knownRoles: string[];
  /** '' for none. */
  defaultRole: string;
  semantics: 'modern' | 'legacy';
  /** The user Secret's roles annotation; null when the user has no Secret yet. */
  userRoles: string | null;
}

export interface CheckerEvaluationResult {
  ok: boolean;
  error?: string;
  /** The mapped roles, known ones only, in Epinio's stored form (unique, sorted). */
  mapped: string[];
  /** The user's roles after the request (unique, sorted). */
  roles: string[];
}

export interface CheckerMappingGroup {
  id: string;
  roles: string[];
  /** Legacy singular `role` (parsed, ignored by Epinio >= 1.11). */
  role: string;
}

export interface CheckerOutput {
  rolesMapping?: {
    ok: boolean;
    error?: string;
    entries?: { connectorId: string; groups: CheckerMappingGroup[] }[];
  };
  bcrypt?: { ok: boolean; cost?: number; error?: string }[];
  dexConfig?: {
    ok: boolean;
    error?: string;
    connectors: { id: string; type: string; ok: boolean; error?: string }[];
  };
  evaluate?: CheckerEvaluationResult[];
}

/** $EDA_CHECKER_CACHE, default ~/.cache/epinio-dex-admin/checker. */
export function checkerCacheDir(): string {
  return process.env.EDA_CHECKER_CACHE || join(cacheBase(), 'checker');
}

let binary: Promise<string> | undefined;

export function ensureChecker(): Promise<string> {
  binary ??= ensureGoBinaries({
    label: 'reference checker',
    moduleDir: MODULE_DIR,
    outDir: checkerCacheDir(),
    targets: [{ name: 'checker', pkg: '.' }],
  }).then((p) => p.checker);
  return binary;
}

export async function runChecker(input: CheckerInput): Promise<CheckerOutput> {
  const bin = await ensureChecker();
  return new Promise((resolve, reject) => {
    const child = spawn(bin, [], { stdio: ['pipe', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout.on('data', (c: Buffer) => (out += c.toString('utf8')));
    child.stderr.on('data', (c: Buffer) => (err += c.toString('utf8')));
    child.on('error', reject);
    // 'close', not 'exit': only then has all of stdout been read (under load 'exit' can come first).
    child.on('close', (code) => {
      if (code !== 0) return reject(new Error(`checker exited ${code}: ${err.trim()}`));
      try {
        resolve(JSON.parse(out) as CheckerOutput);
      } catch (e) {
        reject(new Error(`checker wrote invalid JSON (${(e as Error).message}): ${out.slice(0, 500)}`));
      }
    });
    child.stdin.end(JSON.stringify(input));
  });
}
