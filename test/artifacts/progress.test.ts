import { describe, expect, it } from 'vitest';
import { formatBytes, formatDuration, HashProgress, progressLine } from '../../src/artifacts/progress';

/** A progress reporter on a fake clock, recording what it logs and draws. */
function harness(interactive: boolean, total: number) {
  let t = 0;
  const lines: string[] = [];
  const drawn: string[] = [];
  const p = new HashProgress('s3://ml-models/churn/3/', total, {
    interactive,
    onProgress: (text) => lines.push(text),
    tty: { write: (text: string) => drawn.push(text) },
    now: () => t,
  });
  return { p, lines, drawn, advance: (ms: number) => (t += ms) };
}

describe('HashProgress', () => {
  it('is silent for artifacts hashed in under 2 s', () => {
    for (const interactive of [true, false]) {
      const h = harness(interactive, 1e9);
      for (let i = 0; i < 19; i++) {
        h.advance(100);
        h.p.add(5e7);
      }
      h.p.finish();
      expect(h.lines).toEqual([]);
      expect(h.drawn).toEqual([]);
    }
  });

  it('in CI logs a line every 5 s, then a summary', () => {
    const h = harness(false, 1.2e9);
    for (let i = 0; i < 120; i++) {
      h.advance(100); // 12 s at 100 MB/s
      h.p.add(1e7);
    }
    h.p.finish();
    expect(h.drawn).toEqual([]);
    expect(h.lines).toEqual([
      'hashing s3://ml-models/churn/3/ 500 MB / 1.2 GB · 100 MB/s · ETA 7s',
      'hashing s3://ml-models/churn/3/ 1 GB / 1.2 GB · 100 MB/s · ETA 2s',
      'hashed s3://ml-models/churn/3/ 1.2 GB in 12s (100 MB/s)',
    ]);
  });

  it('on a terminal redraws one line at most 10 times a second, then clears it', () => {
    const h = harness(true, 1e9);
    for (let i = 0; i < 300; i++) {
      h.advance(10); // 3 s, a chunk every 10 ms
      h.p.add(1e6);
    }
    h.p.finish();
    const redraws = h.drawn.filter((d) => d.includes('hashing'));
    expect(redraws.length).toBeGreaterThanOrEqual(9);
    expect(redraws.length).toBeLessThanOrEqual(11); // 1 s of drawing after the quiet 2 s
    expect(redraws.every((d) => d.startsWith('\r\x1b[2K'))).toBe(true);
    expect(h.drawn.at(-1)).toBe('\r\x1b[2K');
    expect(h.lines).toEqual(['hashed s3://ml-models/churn/3/ 300 MB in 3s (100 MB/s)']);
  });

  it('leaves bytes S3 had a checksum for out of the total', () => {
    const h = harness(false, 2e9);
    h.p.skip(1e9);
    h.advance(5000);
    h.p.add(5e8);
    expect(h.lines).toEqual(['hashing s3://ml-models/churn/3/ 500 MB / 1 GB · 100 MB/s · ETA 5s']);
  });
});

describe('formatting', () => {
  it('shows sizes in decimal units', () => {
    expect(formatBytes(0)).toBe('0 B');
    expect(formatBytes(999)).toBe('999 B');
    expect(formatBytes(1500)).toBe('1.5 kB');
    expect(formatBytes(312e6)).toBe('312 MB');
    expect(formatBytes(1.2e9)).toBe('1.2 GB');
    expect(formatBytes(999_960)).toBe('1 MB');
  });

  it('shows durations compactly', () => {
    expect(formatDuration(4.6)).toBe('5s');
    expect(formatDuration(125)).toBe('2m 05s');
    expect(formatDuration(3720)).toBe('1h 02m');
  });

  it('omits the ETA when nothing is left or nothing is known', () => {
    expect(progressLine('x', 10, 10, 1000)).toBe('hashing x 10 B / 10 B · 10 B/s');
    expect(progressLine('x', 0, 10, 0)).toBe('hashing x 0 B / 10 B · 0 B/s');
  });
});
