// API configuration: flags, then env (TELNYX_API_KEY, TELNYX_BASE_URL), then defaults.
import { UsageError } from './errors.js';

export const DEFAULT_BASE_URL = 'https://api.telnyx.com/v2';

export interface ApiConfig {
  apiKey: string;
  baseUrl: string;
}

const LOOPBACK = new Set(['127.0.0.1', 'localhost', '[::1]', '::1']);

/**
 * The URL as the user gave it, less credentials, query and fragment. `origin` would not do: it
 * is "null" for every scheme but http(s), ws(s) and ftp (file:, data:, a typo like htps:).
 */
function shownUrl(url: URL): string {
  const shown = new URL(url.href);
  shown.username = '';
  shown.password = '';
  shown.search = '';
  shown.hash = '';
  return shown.href;
}

/** A non-loopback base URL must be https: the API key travels in a header. */
export function checkBaseUrl(raw: string): string {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new UsageError(`base URL "${raw}" is not a valid URL (expected e.g. ${DEFAULT_BASE_URL})`);
  }
  if (url.protocol !== 'https:' && !(url.protocol === 'http:' && LOOPBACK.has(url.hostname))) {
    throw new UsageError(
      `base URL ${shownUrl(url)} uses ${url.protocol.slice(0, -1)}: it must use https (plain http is allowed only on loopback, for the simulator)`,
    );
  }
  return raw.replace(/\/+$/, '');
}

export function resolveApiConfig(
  flags: { apiKey?: string | undefined; baseUrl?: string | undefined },
  env: Readonly<Record<string, string | undefined>>,
): ApiConfig {
  const apiKey = flags.apiKey ?? env.TELNYX_API_KEY;
  if (!apiKey) {
    throw new UsageError(
      'no API key: set TELNYX_API_KEY (or pass --api-key). To try rubric-gate without an account, run `rubric-gate demo`.',
    );
  }
  return { apiKey, baseUrl: checkBaseUrl(flags.baseUrl ?? env.TELNYX_BASE_URL ?? DEFAULT_BASE_URL) };
}
