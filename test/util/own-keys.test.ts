import { expect, it } from 'vitest';
import { getOwn, pickOwn, setOwn } from '../../src/util/own-keys.js';

it('columns named __proto__, constructor or toString are kept as values, never prototypes or inherited members', () => {
  const decoded = JSON.parse('{"__proto__": 7, "constructor": "c", "id": 1}') as Record<string, unknown>;
  const picked = pickOwn(decoded, ['id', '__proto__', 'constructor', 'toString']);
  expect(Object.keys(picked)).toEqual(['id', '__proto__', 'constructor', 'toString']);
  expect(JSON.stringify(picked)).toBe('{"id":1,"__proto__":7,"constructor":"c","toString":null}');
  expect(Object.getPrototypeOf(picked)).toBe(Object.prototype);
  const o: Record<string, unknown> = {};
  setOwn(o, '__proto__', { polluted: true });
  expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  expect(getOwn(o, '__proto__')).toEqual({ polluted: true });
  expect(getOwn({}, 'constructor')).toBeUndefined();
});
