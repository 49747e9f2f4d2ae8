// The user client software's entry, shared by `npm run client` (client/main.ts) and the
// downloadable build (client/standalone.ts, bundled by scripts/build-client.ts): the local web
// server with the password dialogs, or a command (`sign`, `status`).
import { pcscBindingPresent } from '../card/pcsc.ts';
import { ConfigError } from '../config/env.ts';
import { runCli, UsageError } from './cli.ts';
import { type ClientConfig, type ClientDefaults, loadClientConfig } from './config.ts';
import { ClientPcscReader, ClientVirtualReader, type Reader } from './reader.ts';
import { buildClientServer } from './server.ts';

export async function runClient(argv: string[], defaults?: ClientDefaults): Promise<void> {
  let config: ClientConfig;
  try {
    config = loadClientConfig(process.env, defaults);
  } catch (err) {
    if (err instanceof ConfigError) {
      console.error(`configuration error: ${err.message}`);
      process.exit(1);
    }
    throw err;
  }

  let reader: Reader;
  let closeReader = () => {};
  const kind = config.reader === 'auto' ? (pcscBindingPresent() ? 'pcsc' : 'virtual') : config.reader;
  if (kind === 'pcsc') {
    const pcsc = new ClientPcscReader();
    await pcsc.open();
    reader = pcsc;
    closeReader = () => pcsc.close();
  } else {
    reader = new ClientVirtualReader(config.cardDir);
  }
  const [command, ...args] = argv;

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
    return;
  }
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
