// The user client software the Startup Guide offers: what `npm run build:client` wrote into
// CLIENT_DOWNLOAD_DIR (manifest.json: file, kind, bytes, sha256). Only files named in the
// manifest are ever served. Read on each request, so a new build appears without a restart.
import { readFile } from 'node:fs/promises';
import path from 'node:path';

export interface ClientDownload {
  file: string;
  kind: 'js' | 'linux-x64';
  bytes: number;
  sha256: string;
}

const FILE_NAME = /^[A-Za-z0-9][A-Za-z0-9._-]{0,99}$/;

function isDownload(v: unknown): v is ClientDownload {
  const d = v as Partial<ClientDownload> | null;
  return (
    typeof d === 'object' &&
    d !== null &&
    typeof d.file === 'string' &&
    FILE_NAME.test(d.file) &&
    (d.kind === 'js' || d.kind === 'linux-x64') &&
    typeof d.bytes === 'number' &&
    typeof d.sha256 === 'string' &&
    /^[0-9a-f]{64}$/.test(d.sha256)
  );
}

/** The downloads on offer; none when nothing was built (or the manifest cannot be read). */
export async function clientDownloads(dir: string): Promise<ClientDownload[]> {
  try {
    const manifest = JSON.parse(await readFile(path.join(dir, 'manifest.json'), 'utf8')) as {
      files?: unknown;
    };
    return Array.isArray(manifest.files) ? manifest.files.filter(isDownload) : [];
  } catch {
    return [];
  }
}

/** The checksum list beside the files, in the format `sha256sum -c` reads. */
export const CHECKSUM_FILE = 'SHA256SUMS';

/** The path of a file on offer (or of the checksum list), or undefined. */
export async function downloadPath(dir: string, name: string): Promise<string | undefined> {
  const offered = await clientDownloads(dir);
  if (offered.length === 0) return undefined;
  if (name !== CHECKSUM_FILE && !offered.some((d) => d.file === name)) return undefined;
  return path.join(dir, name);
}
