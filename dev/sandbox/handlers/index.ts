import type { Handler } from '../http/router';
import type { RouteName } from '../wire/routes';
import { connectionSetHandlers } from './connectionSets';
import type { SandboxContext } from './context';
import { dataflowHandlers } from './dataflows';
import { powerPlatformHandlers } from './powerPlatform';
import { projectHandlers } from './projects';
import { runHandlers } from './runs';
import { scheduleHandlers } from './schedules';

/** One handler per route of the sandbox's table; the type fails to compile if one is missing. */
export function createHandlers(ctx: SandboxContext): Record<RouteName, Handler> {
  return {
    ...powerPlatformHandlers(ctx),
    ...dataflowHandlers(ctx),
    ...connectionSetHandlers(ctx),
    ...projectHandlers(ctx),
    ...runHandlers(ctx),
    ...scheduleHandlers(ctx),
  };
}
