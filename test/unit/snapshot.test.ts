import { describe, expect, it } from 'vitest';
import { ListChangedError, type Page, readSnapshot } from '../../src/api/paginate.js';

type Item = { id: string };
const items = (ids: number[]): Item[] => ids.map((i) => ({ id: `t${i}` }));

/** A fake list of `total` items served in pages of `size`, whose reads can be scripted. */
function pages(reads: Item[][][], total: number) {
  let read = -1;
  const calls: number[] = [];
  const fetchPage = async (q: { 'page[number]': number }): Promise<Page<Item>> => {
    if (q['page[number]'] === 1) read++;
    calls.push(q['page[number]']);
    const script = reads[Math.min(read, reads.length - 1)]!;
    return {
      data: script[q['page[number]'] - 1] ?? [],
      meta: {
        page_number: q['page[number]'],
        page_size: 2,
        total_pages: script.length,
        total_results: total,
      },
    };
  };
  return { fetchPage, calls };
}

describe('readSnapshot', () => {
  it('reads every page once when the list holds still', async () => {
    const p = pages([[items([1, 2]), items([3])]], 3);
    expect(await readSnapshot(p.fetchPage, (t) => t.id, 'list')).toEqual(items([1, 2, 3]));
    expect(p.calls).toEqual([1, 2]);
  });

  it('drops an item a shifted page repeats', async () => {
    const p = pages([[items([1, 2]), items([2, 3])]], 3);
    expect(await readSnapshot(p.fetchPage, (t) => t.id, 'list')).toEqual(items([1, 2, 3]));
  });

  it('reads again when a shifted page skipped an item', async () => {
    const p = pages(
      [
        [items([1, 2]), items([4])],
        [items([1, 2]), items([3, 4])],
      ],
      4,
    );
    expect(await readSnapshot(p.fetchPage, (t) => t.id, 'list')).toEqual(items([1, 2, 3, 4]));
    expect(p.calls).toEqual([1, 2, 1, 2]);
  });

  it('gives up with a clear error when the list keeps changing', async () => {
    const p = pages([[items([1, 2]), items([4])]], 4);
    await expect(readSnapshot(p.fetchPage, (t) => t.id, 'the test list of suite "s"', 3)).rejects.toThrow(
      new ListChangedError(
        'the test list of suite "s" kept changing while it was read (3 distinct items, the API counted 4, 3 reads); run again',
      ),
    );
  });
});
