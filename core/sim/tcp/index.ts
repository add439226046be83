// Plugs the simulator's TCP (tcp.ts) into every host built from now on.
import { registerTcp } from '../host';
import { SimTcp } from './tcp';

registerTcp((host) => new SimTcp(host));

export { SimTcp };
