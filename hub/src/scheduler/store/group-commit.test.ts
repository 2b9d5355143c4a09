import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import Database from 'better-sqlite3';
import { GroupCommit } from './group-commit.ts';

describe('group commit', () => {
  it('commits queued writes together; a failing one rolls back only itself', async () => {
    const db = new Database(':memory:');
    db.exec('CREATE TABLE t (v INTEGER PRIMARY KEY)');
    let commits = 0;
    const exec = db.exec.bind(db);
    const counted = Object.assign(Object.create(db), {
      exec: (sql: string) => {
        if (sql === 'COMMIT') commits++;
        return exec(sql);
      },
    });
    const group = new GroupCommit(counted);
    const insert = (v: number) => group.write(async () => db.prepare('INSERT INTO t (v) VALUES (?)').run(v));
    const results = await Promise.allSettled([insert(1), insert(2), insert(1), insert(3)]);
    assert.deepEqual(
      results.map((r) => r.status),
      ['fulfilled', 'fulfilled', 'rejected', 'fulfilled'],
    );
    assert.equal(commits, 1, 'one commit for the four');
    assert.deepEqual(
      db
        .prepare('SELECT v FROM t ORDER BY v')
        .all()
        .map((r) => (r as { v: number }).v),
      [1, 2, 3],
    );
    const read = await group.read(async () => db.prepare('SELECT COUNT(*) AS n FROM t').get());
    assert.deepEqual(read, { n: 3 });
    assert.equal(db.inTransaction, false);
  });
});
