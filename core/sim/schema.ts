// JSON Schemas of topology and scenario files (ARCHITECTURE.md, "Simulator"). The app's YAML
// editor uses the same schemas for validation and completion.

const duration = { type: ['string', 'number'], description: 'seconds, or a number with s/ms/us/ns' };
const cidrList = {
  oneOf: [{ type: 'string' }, { type: 'array', items: { type: 'string' } }],
  description: 'address/prefix, e.g. 192.168.1.2/24 or 2001:db8::1/64',
};

const route = {
  type: 'object',
  additionalProperties: false,
  required: ['dst'],
  properties: {
    dst: { type: 'string', description: '`default`, a network/prefix or a host address' },
    via: { type: 'string' },
    dev: { type: 'string' },
    metric: { type: 'integer', minimum: 0 },
    src: { type: 'string' },
  },
};

const iface = {
  type: 'object',
  additionalProperties: false,
  properties: {
    mac: { type: 'string', pattern: '^[0-9a-fA-F]{2}([:-][0-9a-fA-F]{2}){5}$' },
    ip: cidrList,
    mtu: { type: 'integer', minimum: 68, maximum: 65535 },
    up: { type: 'boolean' },
  },
};

const switchPort = {
  oneOf: [
    { type: 'null' },
    {
      type: 'object',
      additionalProperties: false,
      properties: {
        vlan: { type: 'integer', minimum: 1, maximum: 4094 },
        trunk: { type: 'array', items: { type: 'integer', minimum: 1, maximum: 4094 } },
        native: { type: 'integer', minimum: 1, maximum: 4094 },
        mac: { type: 'string' },
      },
    },
  ],
};

const endpoint = { type: 'string', pattern: '^[^.\\s]+\\.[^.\\s]+$', description: 'NODE.INTERFACE' };

const linkProps = {
  delay: { ...duration, description: 'one-way propagation delay (default 50us)' },
  bandwidth: {
    type: ['string', 'number'],
    description: 'e.g. 1Gbps (the default), 100Mbps; 0 = no serialisation time',
  },
  loss: { type: 'number', minimum: 0, maximum: 1 },
  mtu: { type: 'integer', minimum: 68, maximum: 65535 },
  queue: { type: 'integer', minimum: 1 },
  up: { type: 'boolean' },
};

export const TOPOLOGY_SCHEMA = {
  $id: 'wirelens-topology',
  type: 'object',
  additionalProperties: false,
  required: ['nodes'],
  properties: {
    name: { type: 'string' },
    description: { type: 'string' },
    seed: { type: 'integer' },
    nodes: {
      type: 'object',
      minProperties: 1,
      additionalProperties: {
        type: 'object',
        required: ['kind'],
        additionalProperties: false,
        properties: {
          kind: { enum: ['host', 'router', 'switch', 'hub'] },
          interfaces: { type: 'object', additionalProperties: { oneOf: [iface, { type: 'null' }] } },
          routes: { type: 'array', items: route },
          forwarding: { type: 'boolean' },
          nat: {
            type: 'object',
            additionalProperties: false,
            properties: {
              masquerade: { oneOf: [{ type: 'string' }, { type: 'array', items: { type: 'string' } }] },
              forward: {
                type: 'array',
                items: {
                  type: 'object',
                  additionalProperties: false,
                  required: ['port', 'to'],
                  properties: {
                    proto: { enum: ['tcp', 'udp'] },
                    port: { type: 'integer', minimum: 1, maximum: 65535 },
                    to: { type: 'string', description: 'ADDRESS:PORT' },
                    dev: { type: 'string' },
                  },
                },
              },
            },
          },
          arp: {
            type: 'object',
            additionalProperties: false,
            properties: { timeout: duration, retries: { type: 'integer', minimum: 1 }, interval: duration },
          },
          nameservers: { type: 'array', items: { type: 'string' } },
          hosts: { type: 'object', additionalProperties: { type: 'string' } },
          services: { type: 'object' },
          ports: {
            oneOf: [
              { type: 'array', items: { type: 'string' } },
              { type: 'object', additionalProperties: switchPort },
            ],
          },
          ageing: duration,
          tap: { oneOf: [{ type: 'boolean' }, { type: 'array', items: { type: 'string' } }] },
        },
      },
    },
    links: {
      type: 'array',
      items: {
        oneOf: [
          { type: 'array', items: endpoint, minItems: 2, maxItems: 2 },
          {
            type: 'object',
            additionalProperties: false,
            required: ['a', 'b'],
            properties: { a: endpoint, b: endpoint, ...linkProps },
          },
          {
            type: 'object',
            additionalProperties: false,
            required: ['segment'],
            properties: { segment: { type: 'array', items: endpoint, minItems: 2 }, ...linkProps },
          },
        ],
      },
    },
    taps: { oneOf: [{ const: 'all' }, { type: 'array', items: endpoint }] },
  },
} as const;

export const SCENARIO_SCHEMA = {
  $id: 'wirelens-scenario',
  type: 'object',
  additionalProperties: false,
  required: ['steps'],
  properties: {
    name: { type: 'string' },
    description: { type: 'string' },
    topology: {
      oneOf: [{ type: 'string' }, { type: 'object' }],
      description: 'a topology file (relative to this one) or the topology itself',
    },
    seed: { type: 'integer' },
    until: duration,
    taps: { oneOf: [{ const: 'all' }, { type: 'array', items: endpoint }] },
    steps: {
      type: 'array',
      items: {
        type: 'object',
        additionalProperties: false,
        required: ['at', 'run'],
        properties: {
          at: duration,
          on: { type: 'string' },
          run: { type: 'string' },
        },
      },
    },
  },
} as const;
