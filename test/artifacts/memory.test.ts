/**
 * Bounded memory: an S3 artifact is streamed, never held whole. Measured in a child process
 * against s3rver: a 512 MB object, more than three times the 150 MB limit, so an implementation
 * that held the object (or a large part of it) could not pass. About 8 s on a 2-core machine.
 */
import { describe, expect, it } from 'vitest';
import { hashThroughput } from '../helpers/s3Throughput';

const RSS_LIMIT_MB = 150;

describe('hashing an S3 object in bounded memory', () => {
  it('512 MB: the digest equals sha256sum, RSS stays under 150 MB', async () => {
    const r = await hashThroughput(512);
    console.log(
      `512 MB via S3: ${r.mbPerSecond.toFixed(0)} MB/s in ${r.seconds.toFixed(1)} s, peak RSS ${r.maxRssMb.toFixed(0)} MB; ` +
        `sha256sum: ${r.sha256sumMbPerSecond.toFixed(0)} MB/s`,
    );
    expect(r.bytes).toBe(512 * 1024 * 1024);
    expect(r.digest).toBe(r.sha256sumDigest);
    expect(r.maxRssMb).toBeLessThan(RSS_LIMIT_MB);
  }, 600_000);
});
