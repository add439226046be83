// Every scenario of SEEDS.md as a preset (`scenario-N`), plus the namespace mirror.
import { netnsMirror } from './netns-mirror';
import { SEED_PRESETS } from './seeds';
import type { Preset } from './types';

export type { Preset };

export const PRESETS: Preset[] = [...SEED_PRESETS, netnsMirror];

export function findPreset(name: string): Preset | undefined {
  return PRESETS.find((p) => p.name === name || p.alias === name);
}
