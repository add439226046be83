// Every Engine API method a front end may call, with how its (untrusted) arguments are checked.
// The transports (worker thread, Electron IPC, browser-mode WebSocket) are generic over this
// table: adding a method to the API means a line here, its signature in api.ts and its
// implementation in engine.ts — nothing in the transports.
import type { EngineApi, EngineErrorDTO } from './api';

export class BadRequestError extends Error implements EngineErrorDTO {
  readonly code = 'bad-request';
}

type ArgCheck = (value: unknown) => unknown;

/** The most rows one call may ask for: a screenful many times over, bounded so one call stays cheap. */
export const MAX_ROWS_PER_CALL = 10_000;

/** Argument checkers: each returns the value or throws a BadRequestError naming the argument. */
export const arg = {
  string:
    (name: string): ArgCheck =>
    (v) => {
      if (typeof v !== 'string' || v.length === 0)
        throw new BadRequestError(`${name} must be a non-empty string.`);
      return v;
    },
  /** A string that may be empty (a display filter, a search text). */
  text:
    (name: string, maxLength = 1 << 16): ArgCheck =>
    (v) => {
      if (typeof v !== 'string' || v.length > maxLength)
        throw new BadRequestError(`${name} must be a string of at most ${maxLength} characters.`);
      return v;
    },
  integer:
    (name: string, min: number, max: number): ArgCheck =>
    (v) => {
      if (typeof v !== 'number' || !Number.isInteger(v) || v < min || v > max)
        throw new BadRequestError(`${name} must be an integer from ${min} to ${max}.`);
      return v;
    },
  bytes:
    (name: string): ArgCheck =>
    (v) => {
      if (!(v instanceof Uint8Array)) throw new BadRequestError(`${name} must be bytes.`);
      return v;
    },
  /** A JSON-shaped object or array the engine validates itself (options, topologies). */
  object:
    (name: string): ArgCheck =>
    (v) => {
      if (v === null || typeof v !== 'object') throw new BadRequestError(`${name} must be an object.`);
      return v;
    },
  oneOf:
    <T extends string>(name: string, values: readonly T[]): ArgCheck =>
    (v) => {
      if (typeof v !== 'string' || !(values as readonly string[]).includes(v))
        throw new BadRequestError(`${name} must be one of ${values.join(', ')}.`);
      return v;
    },
  /** A list of colouring rules: name, filter, fg, bg (CSS #rrggbb), enabled. */
  colorRules:
    (name: string): ArgCheck =>
    (v) => {
      const color = (c: unknown) => typeof c === 'string' && /^#[0-9a-fA-F]{6}$/.test(c);
      if (
        !Array.isArray(v) ||
        v.length > 1000 ||
        !v.every(
          (r: unknown) =>
            r !== null &&
            typeof r === 'object' &&
            typeof (r as Record<string, unknown>).name === 'string' &&
            typeof (r as Record<string, unknown>).filter === 'string' &&
            ((r as Record<string, unknown>).filter as string).length <= 1 << 16 &&
            color((r as Record<string, unknown>).fg) &&
            color((r as Record<string, unknown>).bg) &&
            typeof (r as Record<string, unknown>).enabled === 'boolean',
        )
      )
        throw new BadRequestError(
          `${name} must be a list of at most 1000 rules {name, filter, fg, bg (#rrggbb), enabled}.`,
        );
      return v;
    },
  /** `undefined` passes; anything else must satisfy `check`. */
  optional:
    (check: ArgCheck): ArgCheck =>
    (v) =>
      v === undefined || v === null ? undefined : check(v),
};

const ANY_NUMBER = Number.MAX_SAFE_INTEGER;

/** Method name → checkers of its arguments, in order. */
export const ENGINE_METHODS = {
  openFile: [arg.string('path')],
  openBytes: [arg.string('name'), arg.bytes('bytes')],
  openDemo: [],
  importHex: [arg.text('text', 64 << 20), arg.oneOf('link', ['ether', 'ip'])],
  cancel: [],
  info: [],
  rows: [arg.integer('start', 0, ANY_NUMBER), arg.integer('count', 0, MAX_ROWS_PER_CALL)],
  packet: [arg.integer('number', 1, ANY_NUMBER)],
  checkFilter: [arg.text('expr')],
  filter: [arg.text('expr'), arg.optional(arg.integer('selected', 1, ANY_NUMBER))],
  completions: [arg.text('prefix')],
  colorRules: [],
  setColorRules: [arg.colorRules('rules')],
  defaultColorRules: [],
  stats: [arg.string('kind'), arg.optional(arg.object('options'))],
  follow: [
    arg.oneOf('protocol', ['tcp', 'udp', 'http']),
    arg.integer('stream', 0, ANY_NUMBER),
    arg.optional(arg.oneOf('format', ['ascii', 'hex', 'raw', 'yaml'])),
  ],
  httpExchanges: [],
  exportHar: [],
  exportObject: [arg.integer('id', 1, ANY_NUMBER)],
  ioGraph: [arg.object('options')],
  flowGraph: [arg.optional(arg.object('options'))],
  expertInfo: [],
  simPresets: [],
  simSchemas: [],
  simLoad: [arg.text('topology', 1 << 20), arg.text('scenario', 1 << 20)],
  simCheck: [arg.text('topology', 1 << 20), arg.text('scenario', 1 << 20)],
  simLoadPreset: [arg.string('name')],
  simRun: [arg.object('options')],
  simEventPacket: [arg.integer('index', 0, ANY_NUMBER)],
  simInspect: [
    arg.string('node'),
    arg.optional((v) => {
      if (typeof v !== 'number' || !Number.isFinite(v) || v < 0)
        throw new BadRequestError('time must be a number of seconds (0 or more).');
      return v;
    }),
  ],
  simOpenTap: [arg.string('endpoint')],
  generate: [arg.string('preset')],
  replay: [arg.object('options')],
} satisfies { [M in keyof EngineApi]: ArgCheck[] };

export type EngineMethod = keyof typeof ENGINE_METHODS;

export function isEngineMethod(name: unknown): name is EngineMethod {
  return typeof name === 'string' && Object.prototype.hasOwnProperty.call(ENGINE_METHODS, name);
}

/** Checks `params` against the method's argument list; throws BadRequestError. */
export function checkArgs(method: EngineMethod, params: unknown): unknown[] {
  const args = Array.isArray(params) ? params : [];
  const checks: ArgCheck[] = ENGINE_METHODS[method];
  if (args.length > checks.length)
    throw new BadRequestError(`${method} takes at most ${checks.length} argument(s).`);
  return checks.map((check, i) => check(args[i]));
}

/** Calls `method` on an engine with already checked arguments. */
export function invokeEngine(engine: EngineApi, method: EngineMethod, args: unknown[]): Promise<unknown> {
  const fn = engine[method] as (...a: unknown[]) => Promise<unknown>;
  return fn.apply(engine, args);
}

type Caller = (method: EngineMethod, args: unknown[]) => Promise<unknown>;

/** An EngineApi whose every method forwards to `call` (the client side of a transport). */
export function forwardingEngine(call: Caller): EngineApi {
  return addForwarders({}, call) as EngineApi;
}

/** Gives `target` a forwarding method for every Engine API method it does not define itself
 * (a client class writes out only the methods that need special handling). */
export function addForwarders<T extends object>(target: T, call: Caller): T {
  const t = target as Record<string, unknown>;
  for (const method of Object.keys(ENGINE_METHODS) as EngineMethod[])
    if (!(method in t)) t[method] = (...args: unknown[]) => call(method, args);
  return target;
}
