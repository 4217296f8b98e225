import { RECURRENCE_UNITS } from '../../integration/port';
import { scheduleInputsSchema } from '../submissions';
import { said } from '../../words/words';
import { everyInRange } from '../../recurrence/recurrence';
import { errorsView, FormOutcome, SetupForm } from './form';

/** The recurrence the seed recommends. */
export const SUGGESTED_RECURRENCE = { every: 5, unit: 'minutes' } as const;

const numberOrNull = (text: string | undefined) => (text && Number.isFinite(Number(text)) ? Number(text) : null);

/** Step 5: run the new project now, or ask for a schedule (which an approver must approve). */
export const runOrScheduleForm: SetupForm = {
  step: 'runOrSchedule',

  async render({ draft, errors, problem, inputs }) {
    return { form: 'runOrSchedule', view: {
      flowId: draft.flowId,
      projectName: draft.created.projectName ?? '',
      intro: said('schedule.intro'),
      every: inputs ? numberOrNull(inputs.every) : SUGGESTED_RECURRENCE.every,
      unit: inputs?.unit ?? SUGGESTED_RECURRENCE.unit,
      units: RECURRENCE_UNITS,
      errors: errorsView(errors, ['every']),
      problem,
    } };
  },

  async submit({ draft }, action, rawInputs): Promise<FormOutcome> {
    if (action.action === 'run') return { go: 'run', draft };
    if (action.action !== 'schedule') return { go: 'stay', draft };
    const parsed = scheduleInputsSchema.safeParse(rawInputs);
    const every = Number(parsed.data?.every);
    const unit = parsed.data?.unit ?? 'minutes';
    if (!parsed.success || !everyInRange(every)) {
      return { go: 'stay', draft, errors: { every: said('form.wholeNumber') }, inputs: { every: String(parsed.data?.every ?? '').slice(0, 12), unit } };
    }
    return { go: 'schedule', draft, recurrence: { kind: 'recurring', every, unit } };
  },
};
