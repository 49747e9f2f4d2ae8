// Configuration of the user client software from environment variables, validated at start.
// Each bad value stops the program with one line naming the variable and what it expects.
// (The readers are config/env.ts, shared with the portal: the client never imports the portal.)
import path from 'node:path';
import { bool, ConfigError, type Env, int, read } from '../config/env.ts';
import { parseOrigin } from './binding.ts';

export type LogLevel = 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';
const LOG_LEVELS: readonly LogLevel[] = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'];

export interface ClientConfig {
  production: boolean;
  /** 0 = any free port (tests). The client always listens on 127.0.0.1. */
  port: number;
  /** Portal origins that may ask for the card step. */
  allowedOrigins: string[];
  /** Accept http://localhost and http://127.0.0.1 origins (development only). */
  devOrigins: boolean;
  /** The virtual reader's card files (*.card.json). */
  cardDir: string;
  /**
   * virtual: the demo reader over CARD_DIR; pcsc: a real reader through pcscd; auto: pcsc when
   * the PC/SC binding is installed beside the program, else virtual (the downloadable build).
   */
  reader: ReaderChoice;
  logLevel: LogLevel;
  /** Minutes a dialog (one card step) stays open. */
  dialogMinutes: number;
}

export type ReaderChoice = 'virtual' | 'pcsc' | 'auto';
const READERS: readonly ReaderChoice[] = ['virtual', 'pcsc', 'auto'];

/** What differs between `npm run client` and the downloadable build (scripts/build-client.ts). */
export interface ClientDefaults {
  reader: ReaderChoice;
}

export function loadClientConfig(
  env: Env = process.env,
  defaults: ClientDefaults = { reader: 'virtual' },
): ClientConfig {
  const production = env.NODE_ENV === 'production';
  const devOrigins = bool(env, 'CLIENT_DEV_ORIGINS', !production);
  const rawOrigins = read(env, 'CLIENT_ALLOWED_ORIGINS') ?? 'http://localhost:3000';
  const allowedOrigins = rawOrigins
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  if (allowedOrigins.length === 0) {
    throw new ConfigError('CLIENT_ALLOWED_ORIGINS', 'a comma-separated list of origins', rawOrigins);
  }
  for (const o of allowedOrigins) {
    if (parseOrigin(o, devOrigins) === null) {
      throw new ConfigError(
        'CLIENT_ALLOWED_ORIGINS',
        devOrigins
          ? 'origins such as https://portal.example.go.jp or http://localhost:3000 (no path, no trailing slash)'
          : 'https origins such as https://portal.example.go.jp (no path, no trailing slash; http only with CLIENT_DEV_ORIGINS=true)',
        o,
      );
    }
  }
  const level = read(env, 'LOG_LEVEL') ?? 'info';
  if (!(LOG_LEVELS as readonly string[]).includes(level)) {
    throw new ConfigError('LOG_LEVEL', `one of ${LOG_LEVELS.join(', ')}`, level);
  }
  const reader = (read(env, 'CLIENT_READER') ?? defaults.reader) as ReaderChoice;
  if (!READERS.includes(reader)) throw new ConfigError('CLIENT_READER', 'virtual, pcsc or auto', reader);
  return {
    production,
    reader,
    port: int(env, 'CLIENT_PORT', 3001, 0, 65535),
    allowedOrigins,
    devOrigins,
    cardDir: path.resolve(read(env, 'CARD_DIR') ?? 'data/cards'),
    logLevel: level as LogLevel,
    dialogMinutes: int(env, 'CLIENT_DIALOG_MINUTES', 5, 1, 30),
  };
}
