import { describeRunNowRestart } from './runNowRestart';

describeRunNowRestart('SIGTERM');
