// Services a topology starts on a host (`services: { http: {…}, dns: {…} }`). The
// applications (core/sim/apps/) register theirs here; a topology naming a service nobody has
// registered still loads, and the simulation says so in an event.
import type { HostServices } from './stack';

export type ServiceFactory = (host: HostServices, config: unknown) => void;

const services = new Map<string, ServiceFactory>();

export function registerService(name: string, start: ServiceFactory): void {
  services.set(name, start);
}

export function serviceFactory(name: string): ServiceFactory | undefined {
  return services.get(name);
}
