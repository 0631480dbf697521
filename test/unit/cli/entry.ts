// The CLI from source as a process, like bin/epinio-dex-admin.js runs the bundle.
import { main } from '../../../source/cli.js';

await main('epinio-dex-admin');
