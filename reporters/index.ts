// Writes the chosen reports. The only I/O in reporters/: each file is written to a temporary
// name beside its target and renamed, so a reader (or a killed run) never sees half a report.
import { randomBytes } from 'node:crypto';
import { mkdir, open, rename, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { batched } from '../src/json-chunks.js';
import type { Results } from '../src/results.js';
import type { Evaluation } from '../src/verdict.js';
import { type HtmlOptions, htmlChunks } from './html.js';
import { resultsJsonChunks } from './json.js';
import { junitChunks } from './junit.js';
import { type MarkdownOptions, renderMarkdown } from './markdown.js';

/** Where reports go unless --out-dir says otherwise (the demo's folder too). */
export const DEFAULT_OUT_DIR = 'rubric-gate-report';

export const REPORTERS = ['junit', 'markdown', 'json', 'html'] as const;
export type ReporterName = (typeof REPORTERS)[number];

export const REPORT_FILES: Record<ReporterName, string> = {
  junit: 'junit.xml',
  markdown: 'summary.md',
  json: 'results.json',
  html: 'report.html',
};

export interface WriteReportsOptions {
  outDir: string;
  reporters?: readonly ReporterName[];
  markdown?: MarkdownOptions;
  html?: HtmlOptions;
}

export interface ReportPaths {
  junitPath?: string;
  markdownPath?: string;
  resultsPath?: string;
  htmlPath?: string;
}

/**
 * Write `text` (a string, or its pieces in order) to a temporary file, then rename it over
 * `path`. Pieces are written in small batches, so a large report never exists as one string or
 * one buffer: its peak is a batch, not the file (10,000 tests: results.json > 20 MB).
 */
export async function writeFileAtomic(path: string, text: string | Iterable<string>): Promise<void> {
  const tmp = `${path}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
  try {
    const file = await open(tmp, 'w');
    try {
      for (const batch of typeof text === 'string' ? [text] : batched(text))
        await file.writeFile(batch, 'utf8');
    } finally {
      await file.close();
    }
    await rename(tmp, path);
  } catch (err) {
    await rm(tmp, { force: true });
    throw err;
  }
}

export async function writeReports(
  results: Results,
  evaluation: Evaluation,
  options: WriteReportsOptions,
): Promise<ReportPaths> {
  const reporters = new Set(options.reporters ?? REPORTERS);
  await mkdir(options.outDir, { recursive: true });
  const paths: ReportPaths = {};
  const writes: Promise<void>[] = [];
  // The four are written side by side: one renders while another's batch is on its way to disk.
  const write = (name: ReporterName, key: keyof ReportPaths, text: () => string | Iterable<string>) => {
    if (!reporters.has(name)) return;
    const path = join(options.outDir, REPORT_FILES[name]);
    paths[key] = path;
    writes.push(writeFileAtomic(path, text()));
  };
  write('junit', 'junitPath', () => junitChunks(results, evaluation));
  write('markdown', 'markdownPath', () => renderMarkdown(results, evaluation, options.markdown));
  write('json', 'resultsPath', () => resultsJsonChunks(results, evaluation));
  write('html', 'htmlPath', () => htmlChunks(results, evaluation, options.html));
  // Every write settles (each removes its own temporary file on failure) before the first error.
  const failed = (await Promise.allSettled(writes)).find((r) => r.status === 'rejected');
  if (failed) throw failed.reason;
  return paths;
}

/** Parse a --reporter value ("junit,markdown"); unknown names are a usage error for the caller. */
export function parseReporters(value: string | readonly string[]): {
  reporters: ReporterName[];
  unknown: string[];
} {
  const names = (typeof value === 'string' ? [value] : value)
    .flatMap((v) => v.split(','))
    .map((v) => v.trim())
    .filter(Boolean);
  const known = new Set<string>(REPORTERS);
  return {
    reporters: [...new Set(names.filter((n): n is ReporterName => known.has(n)))],
    unknown: names.filter((n) => !known.has(n)),
  };
}
