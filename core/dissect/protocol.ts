// defineProtocol: one record per protocol, holding its layer field, its field table and its
// decoder (ARCHITECTURE.md, "one definition, three uses"). Encoders and Info-column summaries
// live beside it in the same `core/protocols/<abbrev>.ts` file.
import type { Dissection, Dissector } from './dissection';
import { registerField, registerFields, type Field, type FieldSpec } from './fields';

export interface ProtocolSpec<F extends Record<string, FieldSpec>> {
  /** Filter name of the layer, e.g. `ip`. */
  abbrev: string;
  /** Display name, e.g. `Internet Protocol Version 4`. */
  name: string;
  /** Protocol column text, e.g. `IPv4`. */
  short: string;
  fields: F;
  dissect(p: Dissection, start: number, end: number): void;
}

export interface Protocol<F extends Record<string, FieldSpec>> extends Dissector {
  readonly name: string;
  /** The protocol's fields by local key, e.g. `ip.f.ttl`. */
  readonly f: { [K in keyof F]: Field };
}

export const protocols = new Map<string, Protocol<Record<string, FieldSpec>>>();

export function defineProtocol<F extends Record<string, FieldSpec>>(spec: ProtocolSpec<F>): Protocol<F> {
  const field = registerField({ abbrev: spec.abbrev, name: spec.name, type: 'protocol' });
  const proto: Protocol<F> = {
    abbrev: spec.abbrev,
    name: spec.name,
    short: spec.short,
    field,
    f: registerFields(spec.fields),
    dissect: spec.dissect,
  };
  protocols.set(spec.abbrev, proto as unknown as Protocol<Record<string, FieldSpec>>);
  return proto;
}
