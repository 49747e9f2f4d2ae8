// The user client software: `npm run client` (the local web server with the password dialogs),
// `npm run client -- sign …` and `npm run client -- status` (for scripts and support staff).
import { runClient } from './run.ts';

await runClient(process.argv.slice(2));
