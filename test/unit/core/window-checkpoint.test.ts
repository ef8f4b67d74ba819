import { describe, expect, it } from 'vitest';
import { CheckpointError } from '../../../src/core/errors.ts';
import {
  type CommittedPartition,
  decodeCheckpoint,
  encodeCheckpoint,
  WindowProgress,
} from '../../../src/core/window-checkpoint.ts';
import { catchError } from '../../helpers/catch.ts';

const FIVE_MIN = 5 * 60_000;
const WATERMARK = Date.UTC(2024, 0, 15, 10, 20);

function partition(
  partition: number,
  offset: string | null,
  next: string | null,
  range: [string, string] = ['0', '100'],
): CommittedPartition {
  const metadata =
    next === null ? null : encodeCheckpoint({ windowMs: FIVE_MIN, watermark: WATERMARK, next });
  return { partition, offset, metadata, low: range[0], high: range[1] };
}

describe('the checkpoint in the commit metadata', () => {
  it('reads back what it writes, with the watermark as an ISO time', () => {
    const checkpoint = { windowMs: FIVE_MIN, watermark: WATERMARK, next: '42' };
    const text = encodeCheckpoint(checkpoint);
    expect(JSON.parse(text)).toEqual({
      window_ms: FIVE_MIN,
      watermark: '2024-01-15T10:20:00.000Z',
      next: '42',
    });
    expect(decodeCheckpoint(text)).toEqual(checkpoint);
    const first = { ...checkpoint, watermark: null };
    expect(decodeCheckpoint(encodeCheckpoint(first))).toEqual(first);
  });

  it.each([
    null,
    '',
    'committed by someone else',
    '[1]',
    '{"window_ms":300000,"watermark":"ayer","next":"1"}',
    '{"window_ms":300000,"watermark":null,"next":-1}',
    '{"window_ms":0,"watermark":null,"next":"1"}',
  ])('treats metadata %j as no checkpoint', (metadata) => {
    expect(decodeCheckpoint(metadata)).toBeNull();
  });
});

describe('WindowProgress', () => {
  it('starts at the beginning, replaying nothing, when the group never committed', () => {
    const progress = new WindowProgress([partition(0, null, null, ['5', '9'])], FIVE_MIN);
    expect(progress.resumed).toBe(false);
    expect(progress.watermark).toBe(Number.NEGATIVE_INFINITY);
    expect(progress.partitions).toEqual([{ partition: 0, from: '5', replayTo: '5' }]);
    expect(progress.replaying).toBe(false);
    expect(progress.isReplay(0, '5')).toBe(false);
  });

  it('replays from the committed offset up to where the checkpoint says the partition was handled', () => {
    const progress = new WindowProgress(
      [partition(0, '10', '15'), partition(1, '7', '7')],
      FIVE_MIN,
    );
    expect(progress.resumed).toBe(true);
    expect(progress.watermark).toBe(WATERMARK);
    expect(progress.partitions).toEqual([
      { partition: 0, from: '10', replayTo: '15' },
      { partition: 1, from: '7', replayTo: '7' },
    ]);
    expect([9, 10, 14, 15].map((o) => progress.isReplay(0, String(o)))).toEqual([
      true,
      true,
      true,
      false,
    ]);
    expect(progress.isReplay(1, '7')).toBe(false);
  });

  it('replays until every partition has read up to its checkpoint', () => {
    const progress = new WindowProgress(
      [partition(0, '10', '12'), partition(1, '3', '5')],
      FIVE_MIN,
    );
    progress.handled(0, '11');
    expect(progress.replaying).toBe(true);
    progress.handled(1, '4');
    expect(progress.replaying).toBe(false);
  });

  it('resumes with the newest watermark any partition committed', () => {
    const older = encodeCheckpoint({
      windowMs: FIVE_MIN,
      watermark: WATERMARK - 60_000,
      next: '1',
    });
    const progress = new WindowProgress(
      [{ ...partition(0, '1', null), metadata: older }, partition(1, '1', '1')],
      FIVE_MIN,
    );
    expect(progress.watermark).toBe(WATERMARK);
  });

  it('brings committed positions inside what the partition still holds', () => {
    const progress = new WindowProgress(
      [partition(0, '2', '8', ['5', '20']), partition(1, '30', '40', ['0', '12'])],
      FIVE_MIN,
    );
    expect(progress.partitions).toEqual([
      { partition: 0, from: '5', replayTo: '8' },
      // The topic holds less than was committed (it was recreated): nothing to wait for.
      { partition: 1, from: '12', replayTo: '12' },
    ]);
    expect(progress.replaying).toBe(true);
  });

  it('commits the oldest offset still feeding an open window, else one past the last record, with the checkpoint', () => {
    const progress = new WindowProgress(
      [partition(0, '10', '12'), partition(1, '3', '3')],
      FIVE_MIN,
    );
    progress.handled(0, '19');
    progress.handled(1, '8');
    const commits = progress.commits(new Map([[0, '11']]), WATERMARK + FIVE_MIN);
    expect(commits.map(({ partition, offset }) => [partition, offset])).toEqual([
      [0, '11'],
      [1, '9'],
    ]);
    expect(commits.map((c) => decodeCheckpoint(c.metadata))).toEqual([
      { windowMs: FIVE_MIN, watermark: WATERMARK + FIVE_MIN, next: '20' },
      { windowMs: FIVE_MIN, watermark: WATERMARK + FIVE_MIN, next: '9' },
    ]);
  });

  it('writes no watermark before the first one', () => {
    const progress = new WindowProgress([partition(0, null, null)], FIVE_MIN);
    const [commit] = progress.commits(new Map(), Number.NEGATIVE_INFINITY);
    expect(decodeCheckpoint(commit?.metadata ?? null)).toMatchObject({ watermark: null });
  });

  it('refuses a checkpoint of windows of another length', () => {
    const error = catchError(() => new WindowProgress([partition(0, '1', '2')], 2 * FIVE_MIN));
    expect(error).toBeInstanceOf(CheckpointError);
    expect(error).toMatchObject({
      code: 'CHECKPOINT_WINDOW_MISMATCH',
      retriable: false,
      message: 'the committed checkpoint counts 5-minute windows, not 10-minute ones',
    });
  });
});
