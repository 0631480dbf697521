#!/usr/bin/env node
// Installed command: the bundled CLI in ../dist (built by `npm run build`).
import { main } from '../dist/cli.js';

await main('epinio-dex-admin');
