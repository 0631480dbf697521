#!/usr/bin/env node
// Installed command: the bundled CLI in ../dist (built by `npm run build`).
import { fastVersion } from './fastVersion.js';

if (!fastVersion()) await (await import('../dist/cli.js')).main('epinio-dex-admin');
