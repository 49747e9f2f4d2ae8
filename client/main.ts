// The user client software: `npm run client` (the local web server with the password dialogs),
// `npm run client -- sign …` and `npm run client -- status` (for scripts and support staff).
import { runCli, UsageError } from './cli.ts';
import { type ClientConfig, ConfigError, loadClientConfig } from './config.ts';
import { ClientPcscReader, ClientVirtualReader, type Reader } from './reader.ts';
import { buildClientServer } from './server.ts';

let config: ClientConfig;
try {
  config = loadClientConfig();
} catch (err) {
  if (err instanceof ConfigError) {
    console.error(`configuration error: ${err.message}`);
    process.exit(1);
  }
  throw err;
}

let reader: Reader;
let closeReader = () => {};
if (config.reader === 'pcsc') {
  const pcsc = new ClientPcscReader();
  await pcsc.open();
  reader = pcsc;
  closeReader = () => pcsc.close();
} else {
  reader = new ClientVirtualReader(config.cardDir);
}
const [command, ...args] = process.argv.slice(2);

if (command !== undefined) {
  try {
    process.exitCode = await runCli(command, args, config, reader);
  } catch (err) {
    if (err instanceof UsageError) {
      console.error(err.message);
      process.exitCode = 64;
    } else throw err;
  } finally {
    closeReader();
  }
} else {
  if (reader instanceof ClientVirtualReader) await reader.insertDefaultIfNeverChosen();
  const app = await buildClientServer({ config, reader });
  let closing = false;
  const shutdown = async (signal: string) => {
    if (closing) return;
    closing = true;
    app.log.info({ signal }, 'shutting down');
    const force = setTimeout(() => process.exit(1), 5_000);
    force.unref();
    await app.close();
    closeReader();
  };
  process.on('SIGTERM', () => void shutdown('SIGTERM'));
  process.on('SIGINT', () => void shutdown('SIGINT'));
  // Loopback only: the card must never be reachable from the network.
  await app.listen({ port: config.port, host: '127.0.0.1' });
  const address = app.server.address();
  const port = typeof address === 'object' && address ? address.port : config.port;
  console.log(`client: http://127.0.0.1:${port}`);
}
