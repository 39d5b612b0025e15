import type { IdFactory } from '../ids.js';
import type { IncidentMachine } from '../incidents.js';
import type { SimState } from '../model.js';
import type { Rng } from '../rng.js';
import { buildSeedHistory } from './history.js';
import { buildSeedOrganisation, type SeedSummary } from './org.js';

export { HISTORY_DAYS } from './history.js';
export type { SeedSummary } from './org.js';
export { SCENARIOS } from './scenarios.js';

/**
 * Fills an empty state with the seed organisation and, for `org: 'seed'`, its ~90-day incident history and the
 * incidents open now. `org: 'empty'` keeps the organisation (people, teams, services, schedules, policies,
 * priorities) but no incidents. Same seed and same `now` give an identical result.
 */
export function seedState(
  deps: { state: SimState; machine: IncidentMachine; ids: IdFactory; rng: Rng },
  now: number,
  org: 'seed' | 'empty',
): SeedSummary {
  const built = buildSeedOrganisation(deps.state, deps.ids, deps.rng.fork('org'), now);
  if (org === 'seed') {
    buildSeedHistory({
      state: deps.state,
      machine: deps.machine,
      ids: deps.ids,
      rng: deps.rng.fork('history'),
      org: built,
      now,
    });
  }
  return built.summary;
}
