#!/usr/bin/env node
// kubectl plugin: kubectl maps `kubectl epinio-dex ...` to an executable named kubectl-epinio_dex
// on PATH (dashes in the command become underscores in the file name). Help shows the name the
// operator typed.
import { fastVersion } from './fastVersion.js';

if (!fastVersion()) await (await import('../dist/cli.js')).main('kubectl epinio-dex');
