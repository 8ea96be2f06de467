import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { type Page, paginateParallel } from '../../src/api/paginate.js';

/** Pages of `size` items over `total` items, counting how many fetches are in flight at once. */
function pages(total: number, size: number) {
  const stats = { fetched: [] as number[], inFlight: 0, maxInFlight: 0 };
  const totalPages = Math.max(1, Math.ceil(total / size));
  const fetchPage = async (q: { 'page[number]': number }): Promise<Page<number>> => {
    const n = q['page[number]'];
    stats.fetched.push(n);
    stats.inFlight++;
    stats.maxInFlight = Math.max(stats.maxInFlight, stats.inFlight);
    await new Promise((r) => setTimeout(r, (n * 7) % 5));
    stats.inFlight--;
    const data = Array.from(
      { length: Math.max(0, Math.min(size, total - (n - 1) * size)) },
      (_, i) => (n - 1) * size + i,
    );
    return { data, meta: { page_number: n, page_size: size, total_pages: totalPages, total_results: total } };
  };
  return { fetchPage, stats };
}

describe('paginateParallel', () => {
  it('yields every item once, in page order, with at most `concurrency` pages in flight', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 0, max: 1_050 }),
        fc.integer({ min: 1, max: 6 }),
        async (total, c) => {
          const { fetchPage, stats } = pages(total, 100);
          const out: number[] = [];
          for await (const x of paginateParallel(fetchPage, c)) out.push(x);
          expect(out).toEqual(Array.from({ length: total }, (_, i) => i));
          expect(stats.maxInFlight).toBeLessThanOrEqual(c);
          expect(new Set(stats.fetched).size).toBe(stats.fetched.length); // no page read twice
        },
      ),
      { numRuns: 40 },
    );
  });

  it('a failed page fails the read when its turn comes; no unhandled rejection', async () => {
    const { fetchPage } = pages(500, 100);
    const failing = async (q: { 'page[number]': number; 'page[size]': number }) => {
      if (q['page[number]'] === 3) throw new Error('page 3 lost');
      return fetchPage(q);
    };
    const out: number[] = [];
    await expect(
      (async () => {
        for await (const x of paginateParallel(failing, 4)) out.push(x);
      })(),
    ).rejects.toThrow('page 3 lost');
    expect(out).toHaveLength(200); // pages 1 and 2 were yielded first
  });
});
