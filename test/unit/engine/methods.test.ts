import { describe, expect, it } from 'vitest';
import type { EngineApi } from '../../../core/engine/api';
import { BadRequestError, checkArgs, forwardingEngine, isEngineMethod } from '../../../core/engine/methods';

describe('engine method table', () => {
  it('knows the API methods and nothing else', () => {
    expect(isEngineMethod('rows')).toBe(true);
    expect(isEngineMethod('constructor')).toBe(false);
    expect(isEngineMethod('toString')).toBe(false);
    expect(isEngineMethod(42)).toBe(false);
  });

  it('checks arguments and names the bad one', () => {
    expect(checkArgs('rows', [0, 50])).toEqual([0, 50]);
    expect(() => checkArgs('rows', [0, 1e9])).toThrow(/count must be an integer from 0 to 10000/);
    expect(() => checkArgs('packet', ['7'])).toThrow(BadRequestError);
    expect(() => checkArgs('openFile', [''])).toThrow(/path must be a non-empty string/);
    expect(() => checkArgs('openDemo', [1])).toThrow(/at most 0 argument/);
  });

  it('forwards every method with its arguments', async () => {
    const calls: [string, unknown[]][] = [];
    const api: EngineApi = forwardingEngine(async (method, args) => {
      calls.push([method, args]);
      return null;
    });
    await api.rows(5, 10);
    await api.packet(3);
    expect(calls).toEqual([
      ['rows', [5, 10]],
      ['packet', [3]],
    ]);
  });
});
