import { typedText } from '../../src/teams/typedText';

const bot = { id: '28:bot', name: 'Data Integration' };
const botMention = { type: 'mention', text: '<at>Data Integration</at>', mentioned: bot };

describe('what a person typed, without the bot\'s @mention', () => {
  test.each<[string, object, string]>([
    ['the bot mentioned first', { text: '<at>Data Integration</at> status', recipient: bot, entities: [botMention] }, 'status'],
    ['the bot mentioned by another name, and someone else too', { text: '@DI run <at>Ada</at> X', recipient: bot, entities: [{ type: 'Mention', text: '@DI', mentioned: bot }] }, 'run  X'],
    ['no recipient', { text: '<at>Data Integration</at> help', entities: [botMention] }, 'help'],
    ['entities null', { text: 'help', recipient: bot, entities: null }, 'help'],
    ['a mention without mentioned, an entity null or without type', { text: 'help', recipient: bot, entities: [{ type: 'mention', text: 'he' }, null, {}, { type: 7 }] }, 'help'],
    ['a mention of the bot whose text is no string', { text: 'help', recipient: bot, entities: [{ type: 'mention', text: 5, mentioned: bot }] }, 'help'],
    ['text a number', { text: 42, recipient: bot }, ''],
    ['no text', { recipient: bot }, ''],
  ])('%s', (_name, activity, typed) => {
    const before = JSON.stringify(activity);
    expect(typedText(activity as never)).toBe(typed);
    expect(JSON.stringify(activity)).toBe(before);
  });
});
