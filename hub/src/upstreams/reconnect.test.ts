import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ReconnectSchedule } from './reconnect.ts';

const tick = (ms = 20) => new Promise((resolve) => setTimeout(resolve, ms));

describe('reconnect schedule', () => {
  it('backs off attempt by attempt and gives up after maxAttempts in a row', async () => {
    const clock = { now: 0 };
    const schedule = new ReconnectSchedule(
      { initialDelayMs: 1, maxDelayMs: 4, maxAttempts: 3 },
      () => clock.now,
      () => 1,
    );
    const delays: (number | undefined)[] = [];
    let ran = 0;
    for (let i = 0; i < 3; i++) {
      assert.equal(
        schedule.schedule(() => ran++),
        true,
      );
      delays.push(schedule.nextAttemptAt);
      await tick();
    }
    assert.deepEqual(delays, [1, 2, 4]);
    assert.equal(ran, 3);
    assert.equal(
      schedule.schedule(() => ran++),
      false,
      'the fourth attempt in a row is refused',
    );
    assert.equal(schedule.nextAttemptAt, undefined);
  });

  it('starts over after a connection that stayed up, not after one that dropped at once', async () => {
    const clock = { now: 0 };
    const schedule = new ReconnectSchedule(
      { initialDelayMs: 10, maxDelayMs: 1000, maxAttempts: 0 },
      () => clock.now,
      () => 1,
    );
    schedule.schedule(() => {});
    schedule.stop();
    schedule.connected();
    clock.now = 1000;
    schedule.lost();
    schedule.schedule(() => {});
    assert.equal(schedule.nextAttemptAt, 1000 + 20, 'a short-lived connection keeps backing off');
    schedule.stop();
    schedule.connected();
    clock.now = 70_000;
    schedule.lost();
    schedule.schedule(() => {});
    assert.equal(schedule.nextAttemptAt, 70_000 + 10, 'a connection that lasted a minute resets the backoff');
    schedule.stop();
  });
});
