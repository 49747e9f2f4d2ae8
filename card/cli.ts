// `npm run card -- <command>`: manage the development PKI and virtual cards.
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { toJpkiDateOfBirth } from './basic4.ts';
import { CardFileError, loadCardFile, MAX_TRIES, saveCardFile } from './emulator/card-file.ts';
import { VirtualCard } from './emulator/virtual-card.ts';
import { readCardFiles, summarizeCard } from './inventory.ts';
import { DEMO_CARDS, ensureDemoCards } from './pki/demo.ts';
import { ensureDevPki, revokedSerials } from './pki/dev-pki.ts';
import { cardFilePath, DEFAULT_VALID_DAYS, IssueError, issueCardFile, opaqueId } from './pki/issue.ts';
import { noSubstitutes } from './pki/profile.ts';
import { revokeCard } from './pki/revoke.ts';
import { runVpcdClient, VPCD_DEFAULT_HOST, VPCD_DEFAULT_PORT } from './vpcd.ts';

const USAGE = `usage: npm run card -- <command> [options]   (all commands take --data-dir, default "data")

  issue --name <name> --sex male|female|unknown --birth YYYY-MM-DD --address <address>
        --sign-password <6-16 A-Z0-9> --auth-pin <4 digits> [--valid-days N] [--id <id>] [--no-sign-cert]
  revoke <id>          put both certificates of the card on the CRLs
  unblock <id>         reset both tries counters (what the municipal office does)
  list                 cards with tries left, blocked, expired and revoked state
  demo                 create the development PKI and the demo cards if missing
  vpcd [id] [--host ${VPCD_DEFAULT_HOST}] [--port ${VPCD_DEFAULT_PORT}]
                       serve a card (default: "default") to pcscd's vsmartcard-vpcd`;

class UsageError extends Error {}

const progress = (m: string) => process.stderr.write(`${m}\n`);

const SEX: Record<string, string> = { male: '1', female: '2', unknown: '3', '1': '1', '2': '2', '3': '3' };

function required(values: Record<string, unknown>, name: string): string {
  const v = values[name];
  if (typeof v !== 'string' || v.length === 0) throw new UsageError(`issue: --${name} is required`);
  return v;
}

async function issue(dataDir: string, args: string[]): Promise<void> {
  const { values } = parseArgs({
    args,
    options: {
      name: { type: 'string' },
      sex: { type: 'string' },
      birth: { type: 'string' },
      address: { type: 'string' },
      'sign-password': { type: 'string' },
      'auth-pin': { type: 'string' },
      'valid-days': { type: 'string' },
      id: { type: 'string' },
      'no-sign-cert': { type: 'boolean' },
      'data-dir': { type: 'string' },
    },
  });
  const name = required(values, 'name');
  const sex = SEX[required(values, 'sex')];
  if (!sex) throw new UsageError('issue: --sex must be male, female or unknown');
  let dateOfBirth: string;
  try {
    dateOfBirth = toJpkiDateOfBirth(required(values, 'birth'));
  } catch (e) {
    if (e instanceof UsageError) throw e;
    throw new UsageError('issue: --birth must be a real date as YYYY-MM-DD');
  }
  const address = required(values, 'address');
  const validDaysText = values['valid-days'] ?? String(DEFAULT_VALID_DAYS);
  if (!/^[1-9][0-9]{0,5}$/.test(validDaysText))
    throw new UsageError('issue: --valid-days must be a positive integer');
  const noSign = values['no-sign-cert'] === true;
  const id = values.id ?? `card-${opaqueId(6).toLowerCase()}`;
  const pki = await ensureDevPki(dataDir, progress);
  progress(`issuing card "${id}" (RSA-2048 keys)…`);
  await issueCardFile(pki, {
    id,
    basic4: noSign
      ? null
      : {
          name,
          nameSubstitutes: noSubstitutes(name),
          sex,
          dateOfBirth,
          address,
          addressSubstitutes: noSubstitutes(address),
        },
    holderLabel: name,
    signPassword: noSign ? (values['sign-password'] ?? '') : required(values, 'sign-password'),
    authPin: required(values, 'auth-pin'),
    validDays: Number(validDaysText),
  });
  console.log(`issued ${cardFilePath(pki.paths.cardsDir, id)}`);
}

async function cardPath(dataDir: string, id: string | undefined, command: string): Promise<string> {
  if (!id) throw new UsageError(`${command}: which card? give its id (see "list")`);
  if (!/^[A-Za-z0-9_-]{1,64}$/.test(id)) throw new UsageError(`${command}: bad card id "${id}"`);
  return cardFilePath(resolve(dataDir, 'cards'), id);
}

async function list(dataDir: string): Promise<void> {
  const { cards, invalid } = await readCardFiles(resolve(dataDir, 'cards'));
  const revoked = await revokedSerials(dataDir);
  if (cards.length === 0)
    console.log(`no cards in ${resolve(dataDir, 'cards')} (try "npm run card -- demo")`);
  for (const card of cards) {
    const s = summarizeCard(card, revoked);
    const tries = (left: number | null, max: number) =>
      left === null ? 'none' : left === 0 ? 'BLOCKED' : `${left}/${max} tries`;
    const flags = [s.expired ? 'EXPIRED' : null, s.revoked ? 'REVOKED' : null].filter(Boolean).join(' ');
    console.log(
      `${s.id.padEnd(14)} sign: ${tries(s.signTriesLeft, MAX_TRIES.sign).padEnd(10)} auth: ${tries(s.authTriesLeft, MAX_TRIES.auth).padEnd(10)} ` +
        `until ${s.notAfter.toISOString().slice(0, 10)} ${flags ? `${flags} ` : ''}— ${s.description.en}`,
    );
  }
  for (const bad of invalid) console.log(`${bad.file}: unreadable (${bad.error})`);
}

async function main(argv: string[]): Promise<void> {
  const [command, ...rest] = argv;
  // --data-dir may appear anywhere; each command parses the rest itself.
  const { values: common, positionals } = parseArgs({
    args: rest,
    options: { 'data-dir': { type: 'string' }, host: { type: 'string' }, port: { type: 'string' } },
    strict: false,
  });
  const dataDir = resolve(typeof common['data-dir'] === 'string' ? common['data-dir'] : 'data');
  switch (command) {
    case 'issue':
      return issue(dataDir, rest);
    case 'revoke': {
      const path = await cardPath(dataDir, positionals[0], 'revoke');
      const card = await loadCardFile(path);
      await revokeCard(await ensureDevPki(dataDir, progress), card);
      console.log(`revoked ${card.id}: both certificates are on ${resolve(dataDir, 'pki')}/{sign,auth}.crl`);
      return;
    }
    case 'unblock': {
      const path = await cardPath(dataDir, positionals[0], 'unblock');
      const card = await loadCardFile(path);
      if (card.sign) card.sign.triesLeft = MAX_TRIES.sign;
      card.auth.triesLeft = MAX_TRIES.auth;
      await saveCardFile(path, card);
      console.log(`unblocked ${card.id}`);
      return;
    }
    case 'list':
      return list(dataDir);
    case 'demo': {
      const issued = await ensureDemoCards(dataDir, progress);
      console.log(issued.length ? `issued: ${issued.join(', ')}` : 'all demo cards present');
      for (const d of DEMO_CARDS) {
        console.log(
          `  ${d.id.padEnd(14)} sign password ${d.signPassword}, user ID PIN ${d.authPin} — ${d.description.en}`,
        );
      }
      return;
    }
    case 'vpcd': {
      const id = positionals[0] ?? 'default';
      const path = await cardPath(dataDir, id, 'vpcd');
      // On a fresh clone nothing exists yet: create the development PKI and demo cards, as npm start does.
      const issued = await ensureDemoCards(dataDir, progress);
      if (issued.length) progress(`demo cards issued: ${issued.join(', ')}`);
      if (!existsSync(path))
        throw new UsageError(`vpcd: no card "${id}" in ${resolve(dataDir, 'cards')} (see "list")`);
      const portText = typeof common.port === 'string' ? common.port : String(VPCD_DEFAULT_PORT);
      if (!/^[0-9]{1,5}$/.test(portText) || Number(portText) > 65535)
        throw new UsageError('vpcd: --port must be 1–65535');
      const host = typeof common.host === 'string' ? common.host : VPCD_DEFAULT_HOST;
      const card = VirtualCard.fromFile(path, await loadCardFile(path));
      progress(`serving card "${id}" to vpcd at ${host}:${portText} (Ctrl-C to stop)`);
      progress('note: vpcd listens on all interfaces; use it on a development machine only');
      const client = runVpcdClient(card, { host, port: Number(portText), log: progress });
      process.once('SIGINT', () => client.close());
      process.once('SIGTERM', () => client.close());
      return;
    }
    case undefined:
    case 'help':
    case '--help':
      console.log(USAGE);
      return;
    default:
      throw new UsageError(`unknown command "${command}"`);
  }
}

main(process.argv.slice(2)).catch((e: unknown) => {
  if (e instanceof UsageError || e instanceof IssueError || e instanceof CardFileError) {
    process.stderr.write(`card: ${e.message}\n`);
    if (e instanceof UsageError) process.stderr.write('run "npm run card -- help" for usage\n');
    process.exitCode = 2;
    return;
  }
  if (e instanceof TypeError && 'code' in e && String(e.code).startsWith('ERR_PARSE_ARGS')) {
    process.stderr.write(`card: ${e.message}\n`);
    process.exitCode = 2;
    return;
  }
  process.stderr.write(`card: ${(e as Error).stack ?? String(e)}\n`);
  process.exitCode = 1;
});
