import { describeRunNowRestart } from './runNowRestart';

describeRunNowRestart('SIGKILL');
