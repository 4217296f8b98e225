import { parseCommand } from '../src/commands';

describe('parseCommand', () => {
  test.each([
    ['help', { name: 'help' }],
    ['set up account sync', { name: 'setup' }],
    ['Setup', { name: 'setup' }],
    ['new sync', { name: 'setup' }],
    ['sync accounts', { name: 'setup' }],
    ['cancel', { name: 'cancel' }],
    ['status', { name: 'status' }],
    ['list projects', { name: 'status' }],
    ['save Contoso Accounts as template', { name: 'saveTemplate', project: 'Contoso Accounts' }],
    ['run Contoso Accounts', { name: 'run', project: 'Contoso Accounts' }],
    ['schedule Contoso Accounts', { name: 'schedule', project: 'Contoso Accounts' }],
    ['history AccSync', { name: 'history', project: 'AccSync' }],
    ['notify failures only AccSync', { name: 'notify', project: 'AccSync', level: 'failures' }],
    ['notify all for AccSync', { name: 'notify', project: 'AccSync', level: 'all' }],
    ['mute AccSync', { name: 'notify', project: 'AccSync', level: 'mute' }],
    ['sign in', { name: 'signIn' }],
    ['Logout', { name: 'signOut' }],
    ['make coffee', { name: 'unknown', text: 'make coffee' }],
    ['schedule', { name: 'usage', of: 'schedule' }],
    ['History', { name: 'usage', of: 'history' }],
    ['run', { name: 'usage', of: 'run' }],
    ['notify', { name: 'usage', of: 'notify' }],
    ['notify AccSync', { name: 'usage', of: 'notify' }],
    ['mute', { name: 'usage', of: 'notify' }],
    ['save as template', { name: 'usage', of: 'saveTemplate' }],
    ['running', { name: 'unknown', text: 'running' }],
    ['watch dataflows', { name: 'watchDataflows' }],
    ['Watch my dataflow', { name: 'watchDataflows' }],
    ['watch dataflows Sales  EU', { name: 'watchDataflows', filter: 'Sales EU' }],
    ['Status.', { name: 'status' }],
    ['help?', { name: 'help' }],
    ['Set up account sync!', { name: 'setup' }],
    ['run.', { name: 'usage', of: 'run' }],
    ['run AccSync.', { name: 'run', project: 'AccSync.' }],
    ['...', { name: 'unknown', text: '...' }],
    ['RUN AccSync', { name: 'run', project: 'AccSync' }],
    ['NOTIFY ALL AccSync', { name: 'notify', project: 'AccSync', level: 'all' }],
    ['Notify Failures Only AccSync', { name: 'notify', project: 'AccSync', level: 'failures' }],
    ['notify MUTE for AccSync', { name: 'notify', project: 'AccSync', level: 'mute' }],
    ['status accounts', { name: 'status', filter: 'accounts' }],
    ['Watch dataflows IN  Fabrikam sales', { name: 'watchDataflows', environment: 'Fabrikam sales' }],
  ])('"%s"', (text, expected) => {
    expect(parseCommand(text)).toMatchObject(expected);
  });
});

describe('"watch dataflows in" and part of an environment name', () => {
  test.each([
    ['watch dataflows in fabrikam', { name: 'watchDataflows', environment: 'fabrikam' }],
    // A dataflow name that only starts with "in" stays a dataflow name.
    ['watch dataflows inventory', { name: 'watchDataflows', filter: 'inventory' }],
    ['watch dataflows in', { name: 'watchDataflows', filter: 'in' }],
  ])('"%s"', (text, expected) => {
    expect(parseCommand(text)).toEqual(expected);
  });
});

describe('a name part typed in quotes, as "run" takes a project name', () => {
  test.each([
    ['status "Account Sync"', { name: 'status', filter: 'Account Sync' }],
    ['status \u201eKonten Sync\u201c', { name: 'status', filter: 'Konten Sync' }],
    ['watch dataflows in \u201cContoso Prod\u201d', { name: 'watchDataflows', environment: 'Contoso Prod' }],
    ["watch dataflows 'Sales EU'", { name: 'watchDataflows', filter: 'Sales EU' }],
  ])('"%s" looks for the name inside the quotes', (text, expected) => {
    expect(parseCommand(text)).toEqual(expected);
  });
});
