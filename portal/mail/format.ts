import { easyDate } from '../../design/readings.ts';
import type { Lang } from '../i18n/index.ts';

const formats: Record<Exclude<Lang, 'ja-easy'>, Intl.DateTimeFormat> = {
  ja: new Intl.DateTimeFormat('ja-JP', {
    timeZone: 'Asia/Tokyo',
    year: 'numeric',
    month: 'long',
    day: 'numeric',
    hour: '2-digit',
    minute: '2-digit',
  }),
  en: new Intl.DateTimeFormat('en-GB', {
    timeZone: 'Asia/Tokyo',
    year: 'numeric',
    month: 'long',
    day: 'numeric',
    hour: '2-digit',
    minute: '2-digit',
  }),
};

/** A date and time in Japan time, as people write it in each language (the text says "Japan time"). */
export function formatJst(date: Date | string, lang: Lang): string {
  const d = typeof date === 'string' ? new Date(date) : date;
  if (lang !== 'ja-easy') return formats[lang].format(d);
  // Easy Japanese: the Western calendar with readings, and the time as 14:05.
  const jst = new Date(d.getTime() + 9 * 3600_000);
  const hhmm = `${jst.getUTCHours()}:${String(jst.getUTCMinutes()).padStart(2, '0')}`;
  return `${easyDate(jst.getUTCFullYear(), jst.getUTCMonth() + 1, jst.getUTCDate())} ${hhmm}`;
}

/** "user02@ens-test.com" → "us****@ens-test.com": enough to recognise, not to harvest. */
export function maskEmail(address: string): string {
  const at = address.lastIndexOf('@');
  if (at < 1) return '****';
  const local = address.slice(0, at);
  return `${local.slice(0, Math.min(2, local.length - 1))}****${address.slice(at)}`;
}
