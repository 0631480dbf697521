// Types of scripts/bundlePlugin.mjs for the TypeScript callers (bench/run.ts).
import type { Plugin } from 'esbuild';

export function bundlePlugin(root: string): Plugin;
