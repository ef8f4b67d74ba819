import { describe, expect, it } from 'vitest';
import { freePort } from '../../scripts/kafka-local.ts';
import { bridgeHealthcheck } from '../helpers/compose.ts';
import { type FakeUsgs, startFakeUsgs } from '../helpers/fake-usgs.ts';
import { feedText, recentFeatures } from '../helpers/fixtures.ts';
import { spawnAndWait, startCommand } from '../helpers/process.ts';

/** Runs the bridge service's healthcheck of docker-compose.yml as Docker would, in the bridge's environment. */
const healthcheck = (port: number) =>
  spawnAndWait(process.execPath, ['-e', bridgeHealthcheck()], { BRIDGE_PORT: String(port) });

describe("docker-compose.yml's bridge healthcheck", () => {
  it('passes while the bridge reaches its source, fails while it does not, and fails once the bridge is gone', async () => {
    const usgs: FakeUsgs = await startFakeUsgs();
    const features = recentFeatures('2016-11-03_all_day.geojson');
    usgs.set('/day.geojson', {
      body: feedText('2016-11-03_all_day.geojson', features, Date.now()),
    });
    const port = await freePort();
    const bridge = startCommand('bridge/server.ts', {
      KAFKA_BROKERS: '',
      BRIDGE_PORT: String(port),
      BRIDGE_FEED_URL: usgs.url('/day.geojson'),
      BRIDGE_POLL_S: '0.2',
      RETRY_FIRST_S: '0.2',
      RETRY_MAX_S: '0.5',
    });
    try {
      await bridge.waitFor(new RegExp(`: ${features.length} new, `));
      expect(await healthcheck(port)).toMatchObject({ code: 0 });

      usgs.set('/day.geojson', { status: 503, body: 'down' });
      await bridge.waitFor(/503/);
      expect(await healthcheck(port)).toMatchObject({ code: 1 });
    } finally {
      bridge.child.kill('SIGTERM');
      await bridge.exited;
      await usgs.close();
    }
    expect(await healthcheck(port)).toMatchObject({ code: 1 });
  });
});
