// Entry of the downloadable user client software (`npm run build:client` bundles it into one
// CommonJS file and a single executable application). Differences from `npm run client`: the
// reader is chosen automatically (the PC/SC binding when it is installed beside the program,
// otherwise the virtual reader), and no top-level await (CommonJS).
import { runClient } from './run.ts';
import { APP_VERSION } from './token.ts';

const argv = process.argv.slice(2);
if (argv[0] === '--version') {
  console.log(APP_VERSION);
} else {
  runClient(argv, { reader: 'auto' }).catch((err: unknown) => {
    console.error(err);
    process.exit(1);
  });
}
