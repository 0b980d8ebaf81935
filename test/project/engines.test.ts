/**
 * No warnings on install on the supported Node: every package npm ci installs (package-lock.json)
 * accepts the lowest Node that package.json's `engines` allows. content-disposition@3 and cookie@2
 * (Node >= 22, pulled in by @fastify/static 10.1.4+ and light-my-request 6.8+) are kept out by
 * `overrides`; this test fails if an upgrade brings such a package back.
 */
import { readFileSync } from 'node:fs';
import semver from 'semver';
import { expect, it } from 'vitest';

const pkg = JSON.parse(readFileSync('package.json', 'utf8')) as { engines: { node: string } };
const lock = JSON.parse(readFileSync('package-lock.json', 'utf8')) as { packages: Record<string, { engines?: { node?: string } | string[] }> };

it("every locked package accepts the lowest Node of package.json's engines", () => {
  const lowest = semver.minVersion(pkg.engines.node)!.version;
  expect(semver.major(lowest)).toBe(20);
  const refusing = Object.entries(lock.packages)
    .filter(([, v]) => v.engines && !Array.isArray(v.engines) && v.engines.node && !semver.satisfies(lowest, v.engines.node))
    .map(([k, v]) => `${k} needs node ${(v.engines as { node: string }).node}`);
  expect(refusing).toEqual([]);
  // the check can fail: a package that needs Node 22 is caught
  expect(semver.satisfies(lowest, '>=22')).toBe(false);
});

it('every locked package with an install script is reviewed in allowScripts (no npm warning on install)', () => {
  const allow = (JSON.parse(readFileSync('package.json', 'utf8')) as { allowScripts?: Record<string, boolean> }).allowScripts ?? {};
  const all = JSON.parse(readFileSync('package-lock.json', 'utf8')) as { packages: Record<string, { hasInstallScript?: boolean }> };
  const unreviewed = Object.entries(all.packages)
    .filter(([k, v]) => k !== '' && v.hasInstallScript)
    .map(([k]) => k.slice(k.lastIndexOf('node_modules/') + 'node_modules/'.length))
    .filter((name) => !(name in allow));
  expect(unreviewed).toEqual([]);
  expect(Object.keys(allow).length).toBeGreaterThan(0);
});
