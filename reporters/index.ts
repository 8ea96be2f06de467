// Writes the chosen reports. The only I/O in reporters/: each file through src/files.ts's
// writeFileAtomic, so a reader (or a killed run) never sees half a report.
import { join } from 'node:path';
import { writeFileAtomic } from '../src/files.js';
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

export async function writeReports(
  results: Results,
  evaluation: Evaluation,
  options: WriteReportsOptions,
): Promise<ReportPaths> {
  const reporters = new Set(options.reporters ?? REPORTERS);
  const paths: ReportPaths = {};
  let failure: { error: unknown } | undefined;
  // One after another, each rendered as it is written; one that cannot be written does not stop
  // the others (each removes its own temporary file), and the first error is thrown at the end.
  const write = (name: ReporterName, key: keyof ReportPaths, text: () => string | Iterable<string>) => {
    if (!reporters.has(name)) return;
    const path = join(options.outDir, REPORT_FILES[name]);
    paths[key] = path;
    try {
      writeFileAtomic(path, text());
    } catch (error) {
      failure ??= { error };
    }
  };
  write('junit', 'junitPath', () => junitChunks(results, evaluation));
  write('markdown', 'markdownPath', () => renderMarkdown(results, evaluation, options.markdown));
  write('json', 'resultsPath', () => resultsJsonChunks(results, evaluation));
  write('html', 'htmlPath', () => htmlChunks(results, evaluation, options.html));
  if (failure) throw failure.error;
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
