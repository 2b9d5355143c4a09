import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { contractSuite } from '@switchboard/kit/contract';
import type { RaceHook } from '../src/backend.ts';
import { MemoryFsBackend } from '../src/backend-mock.ts';
import { createDiskBackend } from '../src/backend-real.ts';
import { FsConfigSchema } from '../src/config.ts';
import { createServer } from '../src/server.ts';
import { basicCases } from './contract/basics.ts';
import { confinementCases } from './contract/confinement.ts';
import type { Fixture } from './contract/fixture.ts';
import { raceCases } from './contract/races.ts';
import { toolCases } from './contract/tools.ts';

const limits = { maxReadBytes: 64, maxWriteBytes: 64, maxReadManyBytes: 100 };

/** One-shot race staging shared by both backends. */
function raceHook(): { hook: RaceHook; arm: Fixture['armRace']; raced: () => boolean } {
  let pending: { operation: string; action: () => Promise<void> } | undefined;
  let fired = false;
  return {
    hook: async (operation) => {
      if (pending?.operation !== operation) return;
      const { action } = pending;
      pending = undefined;
      fired = true;
      await action();
    },
    arm: (operation, action) => {
      pending = { operation, action };
      fired = false;
    },
    raced: () => fired,
  };
}

function config(root: string, readOnlyRoot: string, missing: string, protectedDir: string, mock = false) {
  return FsConfigSchema.parse({
    roots: [{ path: root, deny: ['private/**'] }, { path: readOnlyRoot, readOnly: true }, missing],
    protect: [join(root, protectedDir), join(root, 'nested/deep/keys.yaml')],
    mock,
    ...limits,
  });
}

await contractSuite<Fixture>(
  'fs',
  [
    {
      name: 'mock',
      setup: async () => {
        const root = '/srv/root';
        const race = raceHook();
        const backend = MemoryFsBackend.seeded(root, undefined, race.hook);
        const put = async (path: string, text: string) => {
          await backend.mkdirp(dirname(path), () => {});
          await backend.writeFile(path, new TextEncoder().encode(text), () => {});
        };
        await put('/srv/outside/secret.txt', 'top secret');
        await put('/srv/ro/ro.txt', 'read me');
        await put('/srv/root/config/switchboard.yaml', 'roles: ../roles');
        return {
          factory: () => createServer(backend, config(root, '/srv/ro', '/srv/missing', 'config', true)).server,
          fixture: {
            write: (rel, text) => put(`${root}/${rel}`, text),
            read: (rel) =>
              backend
                .readFile(`${root}/${rel}`, () => {}, 1 << 20)
                .then(
                  (data) => new TextDecoder().decode(data),
                  () => undefined,
                ),
            mkdir: async (rel) => {
              await backend.mkdirp(`${root}/${rel}`, () => {});
            },
            symlink: async (target, rel) => backend.symlink(target, `${root}/${rel}`),
            swapForSymlink: async (rel, target) => {
              backend.forceRemove(`${root}/${rel}`);
              backend.symlink(target, `${root}/${rel}`);
            },
            armRace: race.arm,
            raced: race.raced,
            secret: '/srv/outside/secret.txt',
            outside: '/srv/outside',
            outsideNames: async () => (await backend.readDir('/srv/outside', () => {})).map((e) => e.name).sort(),
            secretText: async () => new TextDecoder().decode(await backend.readFile('/srv/outside/secret.txt', () => {}, 1 << 20)),
            missingRoot: '/srv/missing',
            readOnlyRoot: '/srv/ro',
            protectedDir: 'config',
          },
        };
      },
    },
    {
      name: 'disk',
      setup: async () => {
        const base = mkdtempSync(join(tmpdir(), 'sb-fs-contract-'));
        const root = join(base, 'root');
        const outside = join(base, 'outside');
        const ro = join(base, 'ro');
        for (const dir of [root, outside, ro, join(base, 'root-evil'), join(root, 'config')]) mkdirSync(dir);
        writeFileSync(join(outside, 'secret.txt'), 'top secret');
        writeFileSync(join(ro, 'ro.txt'), 'read me');
        writeFileSync(join(root, 'config', 'switchboard.yaml'), 'roles: ../roles');
        const race = raceHook();
        const backend = createDiskBackend({ race: race.hook });
        return {
          factory: () => createServer(backend, config(root, ro, join(base, 'missing'), 'config')).server,
          teardown: async () => rmSync(base, { recursive: true, force: true }),
          fixture: {
            write: async (rel, text) => {
              mkdirSync(dirname(join(root, rel)), { recursive: true });
              writeFileSync(join(root, rel), text);
            },
            read: async (rel) => (existsSync(join(root, rel)) ? readFileSync(join(root, rel), 'utf8') : undefined),
            mkdir: async (rel) => {
              mkdirSync(join(root, rel), { recursive: true });
            },
            symlink: async (target, rel) => symlinkSync(target, join(root, rel)),
            swapForSymlink: async (rel, target) => {
              rmSync(join(root, rel), { recursive: true, force: true });
              symlinkSync(target, join(root, rel));
            },
            armRace: race.arm,
            raced: race.raced,
            secret: join(outside, 'secret.txt'),
            outside,
            outsideNames: async () => readdirSync(outside).sort(),
            secretText: async () => readFileSync(join(outside, 'secret.txt'), 'utf8'),
            missingRoot: join(base, 'missing'),
            readOnlyRoot: ro,
            protectedDir: 'config',
          },
        };
      },
    },
  ],
  (h) => {
    basicCases(h);
    toolCases(h);
    confinementCases(h);
    raceCases(h);
  },
);
