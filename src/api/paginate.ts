// Page-number pagination over {data, meta} lists. Stops as the official SDKs do (CONTRACT.md
// section 3): on an empty page, or when meta.page_number >= meta.total_pages. Always asks for
// the largest page (100) to keep the request count low.
import { LIMITS, type Meta } from './schemas.js';

export const PAGE_SIZE = LIMITS.pageSizeMax;
/** Hard stop so a server that never reports its last page cannot loop forever (1M items). */
export const MAX_PAGES = 10_000;

export interface Page<T> {
  data: T[];
  meta: Meta;
}

/** Whether another page should be requested after page `requested`. */
export function hasNextPage(page: Page<unknown>, requested = page.meta.page_number): boolean {
  const at = Math.max(page.meta.page_number, requested);
  return page.data.length > 0 && at < page.meta.total_pages;
}

const same = (a: unknown, b: unknown): boolean => JSON.stringify(a) === JSON.stringify(b);

/**
 * The page repeats the one before it: a server that ignores page[number] (and reports any
 * total_pages) would otherwise be read up to MAX_PAGES times. Compared by their ends, which is
 * enough: ids are unique, so two pages of a real list never share an item at the same place
 * unless the list moved by a whole page between the reads, and then the read is moot anyway.
 */
export const repeatsPage = (before: Page<unknown> | undefined, page: Page<unknown>): boolean =>
  before !== undefined &&
  page.data.length > 0 &&
  page.data.length === before.data.length &&
  same(page.data[0], before.data[0]) &&
  same(page.data.at(-1), before.data.at(-1));

/**
 * Yield every item, fetching page 1, 2, ... lazily. The next page number is counted by us, not
 * taken from meta, so a server that echoes a wrong page_number cannot make us re-read a page.
 */
export async function* paginate<T>(
  fetchPage: (query: { 'page[number]': number; 'page[size]': number }) => Promise<Page<T>>,
): AsyncGenerator<T, void, undefined> {
  let before: Page<T> | undefined;
  for (let number = 1; number <= MAX_PAGES; number++) {
    const page = await fetchPage({ 'page[number]': number, 'page[size]': PAGE_SIZE });
    if (repeatsPage(before, page)) return;
    yield* page.data;
    if (!hasNextPage(page, number)) return;
    before = page;
  }
  throw new Error(`pagination did not end after ${MAX_PAGES} pages`);
}

/**
 * Every item, page 1 first, then the rest `concurrency` at a time (total_pages from page 1), for
 * readers that need no order: a read of N pages takes about N/concurrency round trips instead of
 * N. Items are yielded page by page in page order. Pages that shift while they are read repeat or
 * skip items as in `paginate`; callers take only what an item says about itself.
 */
export async function* paginateParallel<T>(
  fetchPage: (query: { 'page[number]': number; 'page[size]': number }) => Promise<Page<T>>,
  concurrency: number,
): AsyncGenerator<T, void, undefined> {
  const first = await fetchPage({ 'page[number]': 1, 'page[size]': PAGE_SIZE });
  yield* first.data;
  if (!hasNextPage(first, 1)) return;
  const last = Math.min(first.meta.total_pages, MAX_PAGES);
  let next = 2;
  const inFlight = new Map<number, Promise<Page<T>>>();
  const fill = () => {
    while (next <= last && inFlight.size < Math.max(1, concurrency)) {
      const n = next++;
      const p = fetchPage({ 'page[number]': n, 'page[size]': PAGE_SIZE });
      p.catch(() => {}); // observed when its turn comes; never an unhandled rejection meanwhile
      inFlight.set(n, p);
    }
  };
  let before: Page<T> = first;
  for (let n = 2; n <= last; n++) {
    fill();
    const page = await (inFlight.get(n) as Promise<Page<T>>);
    inFlight.delete(n);
    // An empty page, or one repeating the page before, ends the list early, as in paginate.
    if (repeatsPage(before, page)) return;
    yield* page.data;
    if (page.data.length === 0) return;
    before = page;
  }
}

/**
 * Read a whole list as one consistent snapshot, for callers that act on absence (sync creates
 * what it does not see). Page-number pages can shift while they are read: an insert or delete
 * before the cursor repeats an item on the next page or skips one. Repeated ids are dropped, and
 * the list is read again while the distinct count differs from meta.total_results. A list that
 * keeps changing is an error rather than a guess.
 */
export async function readSnapshot<T>(
  fetchPage: (query: { 'page[number]': number; 'page[size]': number }) => Promise<Page<T>>,
  idOf: (item: T) => string,
  what: string,
  attempts = 3,
): Promise<T[]> {
  let seen = 0;
  let total = 0;
  for (let attempt = 1; attempt <= attempts; attempt++) {
    const items = new Map<string, T>();
    total = 0;
    let before: Page<T> | undefined;
    for (let number = 1; number <= MAX_PAGES; number++) {
      const page = await fetchPage({ 'page[number]': number, 'page[size]': PAGE_SIZE });
      total = page.meta.total_results;
      if (repeatsPage(before, page)) break;
      for (const item of page.data) items.set(idOf(item), item);
      if (!hasNextPage(page, number)) break;
      before = page;
    }
    if (items.size === total) return [...items.values()];
    seen = items.size;
  }
  throw new ListChangedError(
    `${what} kept changing while it was read (${seen} distinct items, the API counted ${total}, ${attempts} reads); run again`,
  );
}

export class ListChangedError extends Error {
  override name = 'ListChangedError';
}

/** Collect an async iterable into an array (Array.fromAsync is Node 22+). */
export async function collect<T>(items: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const item of items) out.push(item);
  return out;
}
