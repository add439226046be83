/** A ready-made topology + scenario (`wirelens generate scenario-N`). */
export interface Preset {
  /** `scenario-N` after the scenario's number in SEEDS.md, or a descriptive name. */
  name: string;
  /** Another name it answers to. */
  alias?: string;
  title: string;
  /** One line for `wirelens generate --list`. */
  summary: string;
  /** Where it comes from (seed files, SEEDS.md scenario). */
  seeds: string[];
  /** Commands it runs that the applications provide (curl, dig, dhclient…); until they are
   * registered, the preset's topology loads and those steps print "not found". */
  needs?: string[];
  topology: string;
  scenario: string;
}
