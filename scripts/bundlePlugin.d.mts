// Types of scripts/bundlePlugin.mjs for the TypeScript callers (bench/run.ts, test/e2e).
import type { Plugin } from 'esbuild';

export const REQUIRE_BANNER: string;
export function bundlePlugin(root: string): Plugin;
export function bundleHarness(root: string, entry: string, outfile: string): Promise<string>;
