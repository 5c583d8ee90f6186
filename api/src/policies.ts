import type { Settings } from '@salon/policies/render';
import type { Config } from './env';

/**
 * What the privacy documents and the export's README fill in from this deployment: the
 * controller, and the configured periods the data map's text names (e.g. SESSION_ABSOLUTE_DAYS).
 * The data map itself is read once at start and travels in the app's deps (`dataMap`).
 */
export function documentSettings(config: Pick<Config, 'operator' | 'sessions'>): Settings {
  return {
    controller: config.operator,
    variables: {
      SESSION_ABSOLUTE_DAYS: `${config.sessions.absoluteDays} days`,
      SESSION_IDLE_DAYS: `${config.sessions.idleDays} days`,
    },
  };
}
