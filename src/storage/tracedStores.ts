import { tracedStore } from '../telemetry/storeTelemetry';
import type { StateStores } from './stateStores';

/** The stores with every operation traced (a no-op while telemetry is off); leadership and close untouched. */
export function tracedStores(stores: StateStores): StateStores {
  const t = <T extends object>(name: string, store: T) => tracedStore(stores.kind, name, store);
  return {
    ...stores,
    storage: t('botState', stores.storage),
    refs: t('refs', stores.refs),
    approvals: t('approvals', stores.approvals),
    watches: t('watches', stores.watches),
    dataflowWatches: t('dataflowWatches', stores.dataflowWatches),
    flowLocks: t('flowLocks', stores.flowLocks),
  };
}
